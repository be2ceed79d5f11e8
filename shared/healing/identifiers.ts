/**
 * Identifier hygiene: ids, names and class tokens are often produced by build tools
 * (CSS modules, styled-components, React useId, random suffixes). Comparing their stable
 * stem instead of the raw value survives a rebuild.
 */

/** Attributes that by convention name an element for tests, in order of preference. */
export const TEST_ID_ATTRIBUTES = [
  "data-testid",
  "data-test-id",
  "data-test",
  "data-qa",
  "data-cy",
  "data-automation-id",
  "data-automationid",
  "data-e2e",
  "data-pw",
] as const;

// `Button_primary__x7Gh2` / `button-module__primary___3xYz1` (CSS modules): keep the readable part.
const CSS_MODULE_SHAPE = /^(.+?)_{2,3}([A-Za-z0-9_-]{5,})$/;
// `css-1x2y3z`, `sc-bdVaJa`, `jsx-123456`, `emotion-abc12`: purely generated tokens.
const GENERATED_CLASS = /^(css|sc|jsx|emotion|svelte|ng|tw|chakra|mui|makeStyles)-[A-Za-z0-9]{4,}$/i;
// A trailing run that looks random: digits, or mixed letters and digits.
const GENERATED_SUFFIX = /[-_:.](?=[A-Za-z]*\d)[A-Za-z0-9]{2,}$/;
const REACT_ID = /^:?r[0-9a-z]+:?$/i;

/** CSS-module stem, or null. The hash must look random (a digit or mixed case) so BEM `card__title` is kept. */
function cssModuleStem(token: string): string | null {
  const match = CSS_MODULE_SHAPE.exec(token);
  if (!match) return null;
  const hash = match[2]!;
  const random = /\d/.test(hash) || (/[a-z]/.test(hash) && /[A-Z]/.test(hash));
  return random ? match[1]! : null;
}

/** The stable stem of a class token, or null when the token is entirely generated. */
export function classStem(token: string): string | null {
  if (GENERATED_CLASS.test(token)) return null;
  return (cssModuleStem(token) ?? token).toLowerCase();
}

/**
 * The stable part of an id or name with its case kept (camelCase words stay apart): `searchBtn-3f9a2`
 * → `searchBtn`; empty for a React id, which is generated whole.
 */
export function identifierBase(value: string): string {
  const trimmed = value.trim();
  if (REACT_ID.test(trimmed)) return "";
  return (cssModuleStem(trimmed) ?? trimmed).replace(GENERATED_SUFFIX, "");
}

/** The stable stem of an id or name: `btn-3f9a2` → `btn`, `email_8c1d` → `email`. */
export function identifierStem(value: string): string {
  return identifierBase(value).toLowerCase();
}

/** True when the value looks machine-generated and should not be used in a durable selector. */
export function looksGenerated(value: string): boolean {
  if (REACT_ID.test(value)) return true;
  if (/^\d/.test(value)) return true;
  if (GENERATED_CLASS.test(value) || cssModuleStem(value) !== null) return true;
  const stem = identifierStem(value);
  if (stem.length === 0) return true;
  // A stripped suffix with at least two digits, or a long hex run, means a generator was involved.
  const suffix = value.slice(stem.length);
  return /\d.*\d/.test(suffix) || /[0-9a-f]{6,}/i.test(value);
}

export function findTestId(attributes: Record<string, string>): { name: string; value: string } | null {
  for (const name of TEST_ID_ATTRIBUTES) {
    const value = attributes[name];
    if (value !== undefined && value.trim() !== "") return { name, value: value.trim() };
  }
  return null;
}
