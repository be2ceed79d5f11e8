/**
 * A small Prometheus registry rendering the text exposition format 0.0.4 (docs/operations-metrics.md):
 * counters, gauges and histograms with labels. No dependencies, so it runs in any isolate.
 */

type Labels = Record<string, string>;
type Kind = "counter" | "gauge" | "histogram";
type Series = { labels: Labels; value: number; buckets?: number[]; sum?: number };
type Family = { name: string; help: string; kind: Kind; bounds?: number[]; series: Map<string, Series> };

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Label values escape backslash, double quote and newline; HELP text backslash and newline. */
const escapeValue = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");
const escapeHelp = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");

function labelText(labels: Labels, extra?: [string, string]): string {
  const pairs = Object.entries(labels);
  if (extra) pairs.push(extra);
  if (pairs.length === 0) return "";
  return `{${pairs.map(([k, v]) => `${k}="${escapeValue(v)}"`).join(",")}}`;
}

/** The same key whatever order the labels come in; \0 and \u0001 cannot clash with label names. */
function seriesKey(labels: Labels): string {
  const names = Object.keys(labels).sort();
  let key = "";
  for (const n of names) key += `${n}\u0000${labels[n]}\u0001`;
  return key;
}

const num = (v: number) =>
  Number.isNaN(v) ? "NaN" : v === Number.POSITIVE_INFINITY ? "+Inf" : v === -Infinity ? "-Inf" : String(v);

export class Registry {
  private readonly families = new Map<string, Family>();

  private family(name: string, help: string, kind: Kind, bounds?: number[]): Family {
    let f = this.families.get(name);
    if (!f) {
      if (!NAME.test(name)) throw new Error(`invalid metric name ${name}`);
      f = { name, help, kind, bounds, series: new Map() };
      this.families.set(name, f);
    }
    if (f.kind !== kind) throw new Error(`${name} is a ${f.kind}`);
    return f;
  }

  /** Runs for every recorded request (workers/metrics.ts): names are checked once, when a series is new. */
  private series(f: Family, labels: Labels): Series {
    const key = seriesKey(labels);
    let s = f.series.get(key);
    if (!s) {
      for (const k of Object.keys(labels)) if (!LABEL.test(k)) throw new Error(`invalid label ${k}`);
      s = { labels: { ...labels }, value: 0 };
      if (f.bounds) {
        s.buckets = f.bounds.map(() => 0);
        s.sum = 0;
      }
      f.series.set(key, s);
    }
    return s;
  }

  inc(name: string, help: string, labels: Labels = {}, by = 1) {
    this.series(this.family(name, help, "counter"), labels).value += by;
  }

  set(name: string, help: string, labels: Labels, value: number) {
    this.series(this.family(name, help, "gauge"), labels).value = value;
  }

  /** `bounds` are the upper bounds of the buckets (ascending); +Inf is implied. */
  observe(name: string, help: string, bounds: number[], labels: Labels, value: number) {
    const s = this.series(this.family(name, help, "histogram", bounds), labels);
    const buckets = s.buckets as number[];
    for (let i = bounds.length - 1; i >= 0 && value <= (bounds[i] as number); i--) {
      buckets[i] = (buckets[i] as number) + 1;
    }
    s.value++;
    s.sum = (s.sum ?? 0) + value;
  }

  render(): string {
    const lines: string[] = [];
    for (const f of this.families.values()) {
      lines.push(`# HELP ${f.name} ${escapeHelp(f.help)}`, `# TYPE ${f.name} ${f.kind}`);
      for (const s of f.series.values()) {
        if (f.kind !== "histogram") {
          lines.push(`${f.name}${labelText(s.labels)} ${num(s.value)}`);
          continue;
        }
        (f.bounds as number[]).forEach((b, i) => {
          lines.push(`${f.name}_bucket${labelText(s.labels, ["le", num(b)])} ${s.buckets?.[i] ?? 0}`);
        });
        lines.push(`${f.name}_bucket${labelText(s.labels, ["le", "+Inf"])} ${s.value}`);
        lines.push(`${f.name}_sum${labelText(s.labels)} ${num(s.sum ?? 0)}`);
        lines.push(`${f.name}_count${labelText(s.labels)} ${s.value}`);
      }
    }
    return `${lines.join("\n")}\n`;
  }
}
