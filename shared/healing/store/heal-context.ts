import { selectOne } from "css-select";
import { type AnyNode, type Document, type Element, isTag } from "domhandler";
import { getOuterHTML } from "domutils";
import { and, eq } from "drizzle-orm";
import { parseDocument } from "htmlparser2";
import type { HealContext, HealElementContext } from "../../contract/healing.ts";
import type { Db } from "../../db/client.ts";
import { requireInOrg } from "../../db/org-scoped.ts";
import { healedLocators } from "../../db/schema/healed-locators.ts";
import { healAttempts } from "../../db/schema/healing.ts";
import type { ElementDescriptor } from "../types.ts";
import { getExample } from "./examples.ts";

/** How much HTML the review shows around an element: enough to recognise it, never a whole page. */
export const SNIPPET_LIMIT = 2000;

const cap = (html: string) => (html.length > SNIPPET_LIMIT ? `${html.slice(0, SNIPPET_LIMIT)}…` : html);

/**
 * The DOM around the old and the new element of a healed locator (docs/heal-review.md), rebuilt from the
 * heal's input kept in R2: in the DOM form, the old element is `selector` in `previousDom` and the new one
 * is the healed selector in `dom`; in the candidates form, both are the element descriptions the client
 * sent. No screenshot is ever stored for a heal, so none is returned.
 */
export async function healContext(
  stores: { db: Db; artifacts: R2Bucket },
  orgId: string,
  healId: string,
): Promise<HealContext> {
  const heal = await requireInOrg(stores.db, healedLocators, orgId, healId, "Healed locator");
  const [attempt] = await stores.db
    .select()
    .from(healAttempts)
    .where(and(eq(healAttempts.orgId, orgId), eq(healAttempts.id, heal.attemptId)));
  const example = attempt?.exampleKey ? await getExample(stores.artifacts, attempt.exampleKey) : null;
  if (!attempt || !example) return { form: null, old: null, new: null, screenshot: null };
  if (example.form === "candidates") {
    const chosen = attempt.resultIndex ?? attempt.suggestionIndex;
    const picked = chosen === null ? undefined : example.candidates[chosen];
    return {
      form: "candidates",
      old: example.target ? describedElement(example.target) : null,
      new: picked ? describedElement(picked) : null,
      screenshot: null,
    };
  }
  return {
    form: "dom",
    old: example.previousDom ? aroundSelector(example.previousDom, example.selector) : null,
    new: aroundSelector(
      example.dom,
      attempt.resultSelector ?? attempt.suggestionSelector ?? heal.healedSelector,
    ),
    screenshot: null,
  };
}

/** The element matching `selector` in `html` and its parent's HTML around it; null when none matches. */
export function aroundSelector(html: string, selector: string): HealElementContext | null {
  const document: Document = parseDocument(html);
  let found: Element | null;
  try {
    found = selectOne<AnyNode, Element>(selector.replace(/^css=/, ""), document);
  } catch {
    return null; // not CSS (an xpath or a Playwright locator): nothing to point at
  }
  if (!found) return null;
  const element = found;
  const parent = element.parent && isTag(element.parent) ? element.parent : null;
  const around = parent && !["html", "body"].includes(parent.name) ? parent : element;
  return { element: cap(getOuterHTML(element)), around: cap(getOuterHTML(around)) };
}

/** An element the client described (tag, attributes, text), written as the HTML it stands for. */
function describedElement(d: ElementDescriptor): HealElementContext {
  const attributes = Object.entries(d.attributes ?? {})
    .map(([k, v]) => ` ${k}="${String(v).replaceAll("&", "&amp;").replaceAll('"', "&quot;")}"`)
    .join("");
  const text = (d.text ?? "").replaceAll("&", "&amp;").replaceAll("<", "&lt;");
  const html = cap(`<${d.tag}${attributes}>${text}</${d.tag}>`);
  return { element: html, around: html };
}
