/**
 * Request and response shapes of the Shifty API. The API's own types are generated from the server's
 * contract (`contract.gen.ts`, written by scripts/contract/sdk-types.ts), so they cannot drift from
 * the OpenAPI document; the names below are the SDK's views of them.
 */
import type { Artifact, Gate, HealedLocator, RunMetadata, TestResult } from "./contract.gen.ts";

export type {
  Artifact,
  CandidatesHealRequest,
  CandidatesHealResult,
  DomHealRequest,
  DomHealResult,
  ElementDescriptor,
  Gate,
  GateReason,
  HealedLocator,
  HealFeedback,
  Project,
  RecordHealRequest,
  Run,
  RunMetadata,
  TestResult,
} from "./contract.gen.ts";

export type HealStatus = HealedLocator["status"];
export type GateStatus = Gate["status"];
export type Provider = NonNullable<RunMetadata["provider"]>;
export type ResultStatus = TestResult["status"];
export type ArtifactContentType = Artifact["contentType"];

export type Page<T> = { items: T[]; nextCursor: string | null };

/** RFC 9457 problem+json, as every Shifty error is sent (docs/http-conventions.md). */
export type Problem = {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId?: string;
  errors?: { path: string; message: string }[];
};
