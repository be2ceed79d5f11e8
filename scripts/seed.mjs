// `npm run seed [-- --json]`: creates the demo organisation if missing (idempotent) and mints a fresh
// owner API key for it, in the local D1 database used by `npm start`.
import { auditHash, GENESIS_HASH } from "../shared/audit/chain.ts";
import { sha256Hex } from "../shared/crypto/hash.ts";
import { hashPassword } from "../shared/crypto/password.ts";
import { newApiKey } from "../shared/crypto/tokens.ts";
import { newId } from "../shared/ids.ts";
import { PERMISSIONS } from "../shared/tenancy/permissions.ts";
import { applyMigrations, execute, sqlString as q, query } from "./local-d1.mjs";

export const DEMO_EMAIL = "demo@shifty.local";
export const DEMO_PASSWORD = "shifty-demo-password";

/** One audit row continuing the org's hash chain (`head` is advanced in place). */
async function auditRow(orgId, head, entry) {
  const prevHash = head.hash;
  const record = {
    orgId,
    seq: head.seq + 1,
    actorType: "system",
    actorId: "seed",
    action: entry.action,
    targetType: entry.targetType,
    targetId: entry.targetId,
    ip: null,
    userAgent: null,
    requestId: null,
    changes: entry.changes,
    createdAt: Date.now(),
  };
  const hash = await auditHash(prevHash, record);
  head.seq = record.seq;
  head.hash = hash;
  return `INSERT INTO audit_log (id, org_id, seq, actor_type, actor_id, action, target_type, target_id, changes, created_at, prev_hash, hash) VALUES (${q(newId("aud"))}, ${q(orgId)}, ${record.seq}, 'system', 'seed', ${q(record.action)}, ${q(record.targetType)}, ${q(record.targetId)}, ${q(JSON.stringify(record.changes))}, ${record.createdAt}, ${q(prevHash)}, ${q(hash)})`;
}

export async function seed({ migrate = true } = {}) {
  if (migrate) applyMigrations();
  const now = Date.now();
  let org = query("SELECT id FROM organizations WHERE slug = 'demo'")[0];
  let project;
  const statements = [];
  const headRow = org
    ? query(`SELECT seq, hash FROM audit_log WHERE org_id = ${q(org.id)} ORDER BY seq DESC LIMIT 1`)[0]
    : undefined;
  const head = { seq: headRow?.seq ?? 0, hash: headRow?.hash ?? GENESIS_HASH };
  if (!org) {
    org = { id: newId("org", now) };
    project = { id: newId("prj", now) };
    const userId = query(`SELECT id FROM users WHERE email = ${q(DEMO_EMAIL)}`)[0]?.id ?? newId("usr", now);
    statements.push(
      `INSERT INTO organizations (id, name, slug, plan, created_at, updated_at) VALUES (${q(org.id)}, 'Demo Org', 'demo', 'enterprise', ${now}, ${now})`,
      `INSERT OR IGNORE INTO users (id, email, name, password_hash, is_platform_admin, created_at) VALUES (${q(userId)}, ${q(DEMO_EMAIL)}, 'Demo Owner', ${q(await hashPassword(DEMO_PASSWORD))}, 1, ${now})`,
      `INSERT INTO memberships (org_id, user_id, role, created_at) VALUES (${q(org.id)}, ${q(userId)}, 'owner', ${now})`,
      `INSERT INTO projects (id, org_id, name, slug, description, created_at, updated_at) VALUES (${q(project.id)}, ${q(org.id)}, 'Demo Shop', 'demo-shop', 'Seeded demo project', ${now}, ${now})`,
    );
    statements.push(
      await auditRow(org.id, head, {
        action: "org.create",
        targetType: "organization",
        targetId: org.id,
        changes: { name: "Demo Org", seeded: true },
      }),
    );
  } else {
    project = query(`SELECT id FROM projects WHERE org_id = ${q(org.id)} ORDER BY id LIMIT 1`)[0];
  }
  const key = newApiKey();
  const keyId = newId("key");
  statements.push(
    `INSERT INTO api_keys (id, org_id, name, prefix, key_hash, permissions, created_by, created_at) VALUES (${q(keyId)}, ${q(org.id)}, 'Demo owner key', ${q(key.slice(0, 10))}, ${q(await sha256Hex(key))}, ${q(JSON.stringify(PERMISSIONS))}, 'seed', ${Date.now()})`,
  );
  statements.push(
    await auditRow(org.id, head, {
      action: "api_key.create",
      targetType: "api_key",
      targetId: keyId,
      changes: { name: "Demo owner key", seeded: true },
    }),
  );
  execute(statements);
  return { orgId: org.id, projectId: project.id, apiKey: key };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await seed();
  if (process.argv.includes("--json")) console.log(JSON.stringify(result));
  else
    console.log(
      `Demo org ${result.orgId}, project ${result.projectId}\nAPI key (shown once): ${result.apiKey}\nDashboard sign-in: ${DEMO_EMAIL} / ${DEMO_PASSWORD}`,
    );
}
