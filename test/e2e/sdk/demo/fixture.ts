// The demo suite runs with the Shifty fixture, or (SHIFTY_FIXTURE=off) with plain @playwright/test.
import { test as plain } from "@playwright/test";
import { test as shifty } from "@shifty/playwright";

export { expect } from "@playwright/test";
export const test = process.env.SHIFTY_FIXTURE === "off" ? plain : shifty;
