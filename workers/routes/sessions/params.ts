import { idParam } from "../../openapi.ts";

/** OpenAPI tag of the session operations (Jira settings and export are tagged "Integrations"). */
export const tags = ["Sessions"];

export const projectParams = idParam("projectId", "prj");
export const sessionParams = idParam("sessionId", "ses");
export const findingParams = sessionParams.extend(idParam("findingId", "fnd").shape);
export const shotParams = sessionParams.extend(idParam("shotId", "shot").shape);
