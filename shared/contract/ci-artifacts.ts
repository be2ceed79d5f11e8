import { z } from "zod";
import { pageQuerySchema } from "../pagination.ts";

/**
 * Failure artifacts of CI test results (docs/artifacts.md; the routes are in docs/ci-api.md): Playwright
 * traces, screenshots and videos, and the short-lived signed URLs the trace viewer and <img> fetch them by.
 */

export const ARTIFACT_KINDS = ["trace", "screenshot", "video"] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/** The allow-list of media types, and the kind each one is stored as. */
export const ARTIFACT_TYPES = {
  "application/zip": "trace",
  "image/png": "screenshot",
  "video/webm": "video",
} as const satisfies Record<string, ArtifactKind>;
export type ArtifactContentType = keyof typeof ARTIFACT_TYPES;

export const artifactSchema = z
  .object({
    id: z.string(),
    runId: z.string(),
    resultId: z.string(),
    kind: z.enum(ARTIFACT_KINDS),
    name: z.string(),
    contentType: z.enum(["application/zip", "image/png", "video/webm"]),
    size: z.number().int(),
    createdAt: z.number().int(),
    /** Absolute URL that works without the bearer token until `urlExpiresAt` (ms). */
    url: z.string(),
    urlExpiresAt: z.number().int(),
  })
  .meta({ id: "Artifact" });

export type Artifact = z.infer<typeof artifactSchema>;

export const artifactUploadQuery = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[\w .()+@,=-]+$/, {
      error: "name must be a plain file name (letters, digits, . _ - space ( ) + @ , =)",
    })
    .optional()
    .meta({ example: "trace.zip" }),
});

export const artifactListQuery = pageQuerySchema.extend({
  resultId: z
    .string()
    .regex(/^res_[0-9a-z]{26}$/, { error: "resultId must be a res_… id" })
    .optional(),
});

/** The query of a signed download URL: the organisation, the expiry (unix seconds) and the HMAC. */
export const signedArtifactQuery = z.object({
  org: z
    .string()
    .regex(/^org_[0-9a-z]{26}$/, { error: "org must be an org_… id" })
    .meta({ example: "org_01jd0000000000000000000000" }),
  expires: z.coerce.number().int().positive().meta({ example: 1790000000 }),
  sig: z
    .string()
    .regex(/^[0-9a-f]{64}$/, { error: "sig must be 64 hex characters" })
    .meta({ example: "0".repeat(64) }),
});

export type ArtifactListQuery = z.infer<typeof artifactListQuery>;
export type SignedArtifactQuery = z.infer<typeof signedArtifactQuery>;
