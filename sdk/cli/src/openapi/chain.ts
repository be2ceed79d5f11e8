// Path parameters from earlier operations: `GET /pets/{petId}` first creates a pet with `POST /pets`
// (or, for a read, lists them with `GET /pets`) and uses the id it answered. A producer is related by
// path (`/pets` → `/pets/{petId}`) or by name (`runId` ← a `…/runs` collection). Writes only ever act on
// what the test itself created; reads may use a listed item. Examples are the fallback.
import { isObject, type Json, type JsonObject, type OpenApiDocument, Unsupported } from "./document.ts";
import type { Operation } from "./operations.ts";
import { flatten, typeOf } from "./sample.ts";

/** A path parameter's value: a literal, or a variable set by an earlier request of the test. */
export type ParamValue = { literal: string } | { variable: string };

export type SetupStep = {
  variable: string;
  operation: Operation;
  params: Record<string, ParamValue>;
  /** Where the id sits in the response body, e.g. ["items", 0, "id"]. */
  extract: (string | number)[];
};

export type Resolved = { setup: SetupStep[]; params: Record<string, ParamValue> };

const MAX_DEPTH = 3;

const normal = (s: string) => s.toLowerCase().replace(/[^a-z0-9]/g, "");

/** Resolves every path parameter of `op`, or throws Unsupported naming the one that has no source. */
export function resolvePathParams(doc: OpenApiDocument, op: Operation, all: Operation[]): Resolved {
  const setup: SetupStep[] = [];
  const params = resolveInto(doc, op, all, setup, new Map(), [op.key]);
  return { setup, params };
}

function resolveInto(
  doc: OpenApiDocument,
  op: Operation,
  all: Operation[],
  setup: SetupStep[],
  known: Map<string, string>,
  visiting: string[],
): Record<string, ParamValue> {
  const params: Record<string, ParamValue> = {};
  for (const p of op.pathParams) {
    const reuse = known.get(p.name);
    if (reuse) {
      params[p.name] = { variable: reuse };
      continue;
    }
    const chained = visiting.length <= MAX_DEPTH ? chain(doc, op, p.name, all, setup, known, visiting) : null;
    if (chained) params[p.name] = { variable: chained };
    else if (p.example !== null) params[p.name] = { literal: p.example };
    else
      throw new Unsupported(
        `no example and no earlier operation gives the path parameter "${p.name}" (add an example)`,
      );
  }
  return params;
}

/** Adds the producer's steps to `setup` and returns the variable holding the id, or null. */
function chain(
  doc: OpenApiDocument,
  consumer: Operation,
  name: string,
  all: Operation[],
  setup: SetupStep[],
  known: Map<string, string>,
  visiting: string[],
): string | null {
  for (const { producer, extract } of producersFor(doc, consumer, name, all)) {
    if (visiting.includes(producer.key)) continue;
    const mark = setup.length;
    const knownBefore = new Map(known);
    try {
      const params = resolveInto(doc, producer, all, setup, known, [...visiting, producer.key]);
      const variable = uniqueVariable(name, setup);
      setup.push({ variable, operation: producer, params, extract });
      known.set(name, variable);
      return variable;
    } catch (error) {
      if (!(error instanceof Unsupported)) throw error;
      setup.length = mark; // this producer's own parameters have no source: try the next one
      known.clear();
      for (const [k, v] of knownBefore) known.set(k, v);
    }
  }
  return null;
}

function uniqueVariable(name: string, setup: SetupStep[]): string {
  const base = name.replace(/[^A-Za-z0-9_$]/g, "_").replace(/^(\d)/, "_$1") || "id";
  let variable = base;
  for (let i = 2; setup.some((s) => s.variable === variable); i++) variable = `${base}${i}`;
  return variable;
}

/** Candidate producers, best first: path-related before name-related, creates before lists. */
export function producersFor(doc: OpenApiDocument, consumer: Operation, name: string, all: Operation[]) {
  const read = consumer.method === "GET" || consumer.method === "HEAD";
  const base = /^(.+?)[-_]?id$/i.exec(name)?.[1];
  const found: { producer: Operation; extract: (string | number)[]; rank: number }[] = [];
  for (const producer of all) {
    if (producer.key === consumer.key) continue;
    if (producer.method !== "POST" && !(read && producer.method === "GET")) continue;
    const byPath = consumer.path.startsWith(`${producer.path}/{${name}}`);
    const last = producer.path.split("/").pop() ?? "";
    const byName = !byPath && !!base && !last.startsWith("{") && plural(normal(base), normal(last));
    if (!byPath && !byName) continue;
    const schema = producer.success.find((s) => s.schema !== null)?.schema;
    const extract = schema ? idPath(doc, schema, [name, "id"], producer.method === "GET") : null;
    if (!extract) continue;
    const rank = (byPath ? 0 : 2) + (producer.method === "POST" ? 0 : 1);
    found.push({ producer, extract, rank });
  }
  return found.sort((a, b) => a.rank - b.rank || a.producer.order - b.producer.order);
}

function plural(base: string, segment: string): boolean {
  if (base.length < 3) return false;
  const forms = [`${base}s`, `${base}es`, base.endsWith("y") ? `${base.slice(0, -1)}ies` : ""];
  return forms.some((f) => f && segment.endsWith(f));
}

/** Where an id named one of `names` sits in a response: top level, or first item of a list. */
function idPath(
  doc: OpenApiDocument,
  schema: Json,
  names: string[],
  list: boolean,
): (string | number)[] | null {
  const root = flatten(doc, schema, 0);
  if (!root) return null;
  const has = (s: JsonObject | null) => names.find((n) => s && isObject(s.properties) && n in s.properties);
  const itemOf = (s: JsonObject | null) => (s && typeOf(s) === "array" ? flatten(doc, s.items, 0) : null);
  if (!list) {
    const direct = has(root);
    if (direct) return [direct];
  }
  const rootItem = itemOf(root);
  const inRootItem = has(rootItem);
  if (inRootItem) return [0, inRootItem];
  const properties = isObject(root.properties) ? root.properties : {};
  for (const [key, value] of Object.entries(properties)) {
    const item = itemOf(flatten(doc, value, 0));
    const n = has(item);
    if (n) return [key, 0, n];
  }
  return null;
}
