/**
 * Similo-style baseline (not production code): weighted similarity over 14 properties with the
 * published weights (1.5 for stable properties, 0.5 for the rest).
 */
import { editSimilarity, normalizeText } from "../../../shared/healing/similarity.ts";
import type { ElementDescriptor } from "../../../shared/healing/types.ts";

type Property = { weight: number; similarity: (a: ElementDescriptor, b: ElementDescriptor) => number };

const attribute = (name: string) => (d: ElementDescriptor) => d.attributes?.[name] ?? "";
const equal = (get: (d: ElementDescriptor) => string) => (a: ElementDescriptor, b: ElementDescriptor) =>
  get(a) !== "" && get(a) === get(b) ? 1 : 0;
const similar = (get: (d: ElementDescriptor) => string) => (a: ElementDescriptor, b: ElementDescriptor) =>
  get(a) === "" || get(b) === "" ? 0 : editSimilarity(normalizeText(get(a)), normalizeText(get(b)), 0);
const isButton = (d: ElementDescriptor) =>
  d.tag === "button" || d.attributes?.role === "button" || /^(submit|button)$/.test(d.attributes?.type ?? "")
    ? "yes"
    : "no";

const PROPERTIES: Property[] = [
  { weight: 1.5, similarity: equal((d) => d.tag) },
  { weight: 0.5, similarity: equal(attribute("class")) },
  { weight: 1.5, similarity: equal(attribute("name")) },
  { weight: 1.5, similarity: equal(attribute("id")) },
  { weight: 0.5, similarity: equal(attribute("href")) },
  { weight: 0.5, similarity: equal(attribute("alt")) },
  { weight: 0.5, similarity: similar((d) => d.xpath ?? "") },
  { weight: 0.5, similarity: similar((d) => d.idXpath ?? "") },
  { weight: 0.5, similarity: (a, b) => (isButton(a) === isButton(b) ? 1 : 0) },
  {
    weight: 0.5,
    similarity: (a, b) => {
      if (!a.rect || !b.rect) return 0;
      return Math.max(0, 1 - Math.hypot(a.rect.x - b.rect.x, a.rect.y - b.rect.y) / 100);
    },
  },
  {
    weight: 0.5,
    similarity: (a, b) => {
      if (!a.rect || !b.rect) return 0;
      const x = a.rect.width * a.rect.height;
      const y = b.rect.width * b.rect.height;
      return Math.max(x, y) === 0 ? 1 : Math.min(x, y) / Math.max(x, y);
    },
  },
  {
    weight: 0.5,
    similarity: (a, b) => {
      if (!a.rect || !b.rect) return 0;
      const x = (a.rect.width + 1) / (a.rect.height + 1);
      const y = (b.rect.width + 1) / (b.rect.height + 1);
      return Math.min(x, y) / Math.max(x, y);
    },
  },
  { weight: 1.5, similarity: similar((d) => d.text ?? "") },
  {
    weight: 0.5,
    similarity: similar((d) => `${d.neighborText?.above ?? ""} ${d.neighborText?.below ?? ""}`.trim()),
  },
];

const TOTAL = PROPERTIES.reduce((sum, property) => sum + property.weight, 0);

export function similoScore(target: ElementDescriptor, candidate: ElementDescriptor): number {
  let score = 0;
  for (const property of PROPERTIES) score += property.weight * property.similarity(target, candidate);
  return score / TOTAL;
}
