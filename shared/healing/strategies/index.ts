import { attributesStrategy } from "./attributes.ts";
import { classesStrategy } from "./classes.ts";
import { idNameStrategy } from "./id-name.ts";
import { keywordsStrategy } from "./keywords.ts";
import { neighborsStrategy } from "./neighbors.ts";
import { overlapStrategy } from "./overlap.ts";
import { positionStrategy } from "./position.ts";
import { regionStrategy } from "./region.ts";
import { roleStrategy } from "./role.ts";
import type { Strategy } from "./strategy.ts";
import { structureStrategy } from "./structure.ts";
import { tagStrategy } from "./tag.ts";
import { testIdStrategy } from "./test-id.ts";
import { textStrategy } from "./text.ts";
import { xpathStrategy } from "./xpath.ts";

export type { Strategy } from "./strategy.ts";

/** Order is the feature order of the model; append new strategies at the end. */
export const STRATEGIES: readonly Strategy[] = [
  testIdStrategy,
  idNameStrategy,
  roleStrategy,
  textStrategy,
  tagStrategy,
  attributesStrategy,
  structureStrategy,
  positionStrategy,
  neighborsStrategy,
  overlapStrategy,
  xpathStrategy,
  classesStrategy,
  regionStrategy,
  keywordsStrategy,
];

export const STRATEGY_NAMES: readonly string[] = STRATEGIES.map((strategy) => strategy.name);
