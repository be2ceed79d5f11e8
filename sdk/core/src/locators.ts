/**
 * The Playwright `page`/`locator` methods that build a locator (`page.getByRole(…)`, `locator.locator(…)`):
 * the fixture wraps what they return and remembers where they were written; `shifty heals --fix` rewrites
 * such a call at that place.
 */
export const LOCATOR_FACTORIES = [
  "locator",
  "getByRole",
  "getByText",
  "getByTestId",
  "getByLabel",
  "getByPlaceholder",
  "getByAltText",
  "getByTitle",
] as const;
