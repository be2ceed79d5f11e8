import { pageOf } from "../../../shared/contract/common.ts";
import {
  apiKeySchema,
  createdKeySchema,
  newApiKeySchema,
  rotateKeySchema,
} from "../../../shared/contract/tenancy.ts";
import { pageQuerySchema } from "../../../shared/pagination.ts";
import { createApiKey, listApiKeys, revokeApiKey, rotateApiKey } from "../../../shared/tenancy/api-keys.ts";
import { orgIdOf } from "../../middleware/auth.ts";
import { idParam, jsonBody, jsonContent, type Router } from "../../openapi.ts";
import { actorOf } from "../../request-context.ts";
import { routeGroup } from "../../route.ts";
import { evictFromRooms } from "../sessions/evict.ts";

const apiKeys = routeGroup({ tags: ["API keys"], permission: "keys:manage" });
const params = idParam("keyId", "key");

apiKeys.answer(
  apiKeys.get("/api-keys", {
    summary: "List API keys (never the keys themselves)",
    request: { query: pageQuerySchema },
    responses: { 200: jsonContent(pageOf(apiKeySchema), "Keys") },
  }),
  function listApiKeysHandler({ db, orgId, query }) {
    return listApiKeys(db, orgId, query);
  },
);

apiKeys.answer(
  apiKeys.post("/api-keys", {
    summary: "Create an API key; the key is in the response once",
    request: { body: jsonBody(newApiKeySchema) },
    responses: { 201: jsonContent(createdKeySchema, "The key") },
  }),
  function createApiKeyHandler({ db, orgId, actor, json }) {
    return createApiKey(db, orgId, actor, json);
  },
);

apiKeys.handle(
  apiKeys.delete("/api-keys/{keyId}", {
    summary: "Revoke an API key (effective at once)",
    request: { params },
    responses: { 204: { description: "Revoked" } },
  }),
  async function revokeApiKeyHandler(c) {
    const services = c.get("services");
    const { keyId } = c.req.valid("param");
    await revokeApiKey(services.db, services.keyCache, orgIdOf(c), actorOf(c), keyId);
    await evictFromRooms(services, orgIdOf(c), [keyId], "The API key was revoked");
    return c.body(null, 204);
  },
);

apiKeys.answer(
  apiKeys.post("/api-keys/{keyId}/rotate", {
    summary: "Rotate: a new key with the same permissions; the old one keeps working for the grace period",
    request: { params, body: jsonBody(rotateKeySchema) },
    responses: { 201: jsonContent(createdKeySchema, "The new key") },
  }),
  function rotateApiKeyHandler({ services, orgId, actor, param, json }) {
    const { db, keyCache } = services;
    return rotateApiKey(db, keyCache, orgId, actor, param.keyId, json.gracePeriodSeconds);
  },
);

export const registerApiKeyRoutes = (app: Router) => apiKeys.register(app);
