import { z } from "zod";

/** An organisation export (docs/data-lifecycle.md, "Export an organisation"). */
export const orgExportSchema = z
  .object({
    id: z.string(),
    status: z.enum(["running", "succeeded", "failed", "expired"]),
    /** Pages (of at most 200 rows) written to storage so far, and their rows and bytes. */
    pages: z.number().int(),
    rows: z.number().int(),
    bytes: z.number().int(),
    error: z.string().nullable(),
    createdAt: z.number().int(),
    finishedAt: z.number().int().nullable(),
    /** When a finished export's file is deleted (7 days after it finished); null while running. */
    expiresAt: z.number().int().nullable(),
  })
  .meta({ id: "OrgExport" });
export type OrgExport = z.infer<typeof orgExportSchema>;

export const orgExportListSchema = z
  .object({ items: z.array(orgExportSchema) })
  .meta({ id: "OrgExportList" });
