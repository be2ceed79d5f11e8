import type { ExportFormat } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { type SessionBundle, type SessionLinks, toJsonExport, toMarkdownExport } from "./export.ts";
import { allEvents, listFindings, listParticipants, listScreenshots, type SessionRow } from "./repository.ts";
import { requireSession } from "./service.ts";

/** Everything about a session (org-scoped reads), for exports and Jira issues. */
export async function loadBundle(db: Db, session: SessionRow, links: SessionLinks): Promise<SessionBundle> {
  const [participants, events, findings, screenshots] = await Promise.all([
    listParticipants(db, session.orgId, session.id),
    allEvents(db, session.orgId, session.id),
    listFindings(db, session.orgId, session.id),
    listScreenshots(db, session.orgId, session.id),
  ]);
  return { session, participants, events, findings, screenshots, links };
}

export type SessionExport = { body: string; contentType: string; filename: string };

/** A session as a Markdown report or a JSON document (session, participants, findings, timeline, screenshots). */
export async function exportSession(
  db: Db,
  orgId: string,
  sessionId: string,
  format: ExportFormat,
  links: SessionLinks,
): Promise<SessionExport> {
  const bundle = await loadBundle(db, await requireSession(db, orgId, sessionId), links);
  const filename = `${sessionId}.${format}`;
  if (format === "md") {
    return { body: toMarkdownExport(bundle), contentType: "text/markdown; charset=utf-8", filename };
  }
  return { body: JSON.stringify(toJsonExport(bundle)), contentType: "application/json", filename };
}
