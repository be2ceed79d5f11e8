import type { RoomEvent } from "../contract/room.ts";
import {
  type AdfBlock,
  type AdfDoc,
  type AdfInline,
  bulletList,
  code,
  doc,
  heading,
  link,
  orderedList,
  paragraph,
  rule,
  strong,
  text,
} from "../jira/adf.ts";
import type { FindingRow, ParticipantRow, ScreenshotRow, SessionRow } from "./repository.ts";

/** A session's full record: what the session export and the Jira issue are built from. */
export type SessionBundle = {
  session: SessionRow;
  participants: ParticipantRow[];
  events: RoomEvent[];
  findings: FindingRow[];
  screenshots: ScreenshotRow[];
  links: SessionLinks;
};

/** Where a session and its screenshots are, given by the HTTP layer (this module knows no URL paths). */
export type SessionLinks = {
  /** Absolute origin that turns API paths into links (config.publicUrl without trailing slashes). */
  origin: string;
  /** The API path of a screenshot: what a `screenshot` event's `url` holds. */
  screenshotPath(sessionId: string, shotId: string): string;
  /** The absolute URL of the session's page in the dashboard. */
  sessionPage(sessionId: string): string;
};

/** The absolute link of a screenshot. */
const screenshotLink = (links: SessionLinks, sessionId: string, shotId: string) =>
  `${links.origin}${links.screenshotPath(sessionId, shotId)}`;

/** One line describing a step: "click #checkout", "fill input[name=q] with "shoes"". */
export function describeStep(data: Record<string, unknown>): string {
  const action = String(data.action ?? "step");
  const target = describeTarget(data.target);
  const value = typeof data.value === "string" ? ` with "${data.value}"` : "";
  const url = typeof data.url === "string" ? ` at ${data.url}` : "";
  return `${action}${target ? ` ${target}` : ""}${value}${url}`;
}

function describeTarget(target: unknown): string {
  if (typeof target === "string") return target;
  if (!target || typeof target !== "object") return "";
  const t = target as Record<string, unknown>;
  if (typeof t.selector === "string") return t.selector;
  const attrs = (t.attributes ?? {}) as Record<string, string>;
  const tag = typeof t.tag === "string" ? t.tag.toLowerCase() : "element";
  if (attrs.id) return `${tag}#${attrs.id}`;
  const name =
    (typeof t.accessibleName === "string" && t.accessibleName) || (typeof t.text === "string" && t.text);
  return name ? `${tag} "${name.slice(0, 80)}"` : tag;
}

/** The Jira description for a finding: the finding, its linked steps, the session's notes and screenshots. */
export function findingToAdf(bundle: SessionBundle, finding: FindingRow): AdfDoc {
  const { session, events, screenshots, links } = bundle;
  const linked = new Set(finding.stepSeqs);
  const steps = events.filter((e) => e.kind === "step" && linked.has(e.seq));
  const notes = events.filter((e) => e.kind === "note").slice(0, 50);
  const sessionUrl = links.sessionPage(session.id);
  const blocks: AdfBlock[] = [
    paragraph(
      strong("Severity: "),
      text(finding.severity),
      text("  ·  "),
      strong("Found by: "),
      text(actorName(bundle, finding.createdBy)),
    ),
    paragraph(...lines(finding.description ?? "(no description)")),
    heading(3, "Session"),
    bulletList([
      [strong("Charter: "), text(session.charter)],
      [strong("Environment: "), text(session.environment)],
      ...(session.url ? [[strong("URL: "), link(session.url, session.url)]] : []),
      [strong("Shifty session: "), link(session.title, sessionUrl)],
    ]),
  ];
  if (steps.length) {
    blocks.push(heading(3, "Steps to reproduce"));
    blocks.push(orderedList(steps.map((s): AdfInline[] => [code(describeStep(s.data))])));
  }
  if (notes.length) {
    blocks.push(heading(3, "Notes"));
    blocks.push(
      bulletList(
        notes.map((n): AdfInline[] => [strong(`${n.actor.name}: `), text(String(n.data.text ?? ""))]),
      ),
    );
  }
  if (screenshots.length) {
    blocks.push(heading(3, "Screenshots"));
    blocks.push(
      bulletList(
        screenshots.map((s): AdfInline[] => {
          const href = screenshotLink(links, session.id, s.id);
          return [link(`${s.id} (${s.contentType}, ${s.size} bytes)`, href)];
        }),
      ),
    );
  }
  blocks.push(rule(), paragraph(text(`Exported from Shifty finding ${finding.id} (event #${finding.seq}).`)));
  return doc(...blocks);
}

/** Multi-line text as ADF inline nodes separated by hard breaks. */
function lines(value: string): AdfInline[] {
  const out: AdfInline[] = [];
  value.split(/\r?\n/).forEach((line, i) => {
    if (i > 0) out.push({ type: "hardBreak" });
    if (line) out.push(text(line));
  });
  return out;
}

function actorName(bundle: SessionBundle, actorId: string): string {
  return bundle.participants.find((p) => p.actorId === actorId)?.name ?? actorId;
}

/** The JSON export: everything, with screenshot links. */
export function toJsonExport(bundle: SessionBundle) {
  const { session, participants, events, findings, screenshots, links } = bundle;
  return {
    format: "shifty.session.v1",
    exportedAt: Date.now(),
    session: {
      id: session.id,
      projectId: session.projectId,
      title: session.title,
      charter: session.charter,
      environment: session.environment,
      timeboxMinutes: session.timeboxMinutes,
      url: session.url,
      status: session.status,
      createdBy: session.createdBy,
      createdAt: session.createdAt,
      endedAt: session.endedAt,
      lastSeq: session.lastSeq,
    },
    participants: participants.map((p) => ({
      id: p.actorId,
      name: p.name,
      role: p.role,
      firstSeenAt: p.firstSeenAt,
      lastSeenAt: p.lastSeenAt,
    })),
    findings: findings.map((f) => ({
      id: f.id,
      seq: f.seq,
      severity: f.severity,
      title: f.title,
      description: f.description,
      stepSeqs: f.stepSeqs,
      createdBy: f.createdBy,
      createdAt: f.createdAt,
      jira: f.jiraIssueKey ? { issueKey: f.jiraIssueKey, url: f.jiraUrl } : null,
    })),
    screenshots: screenshots.map((s) => ({
      id: s.id,
      url: screenshotLink(links, session.id, s.id),
      contentType: s.contentType,
      size: s.size,
      createdAt: s.createdAt,
    })),
    events,
  };
}

const iso = (ms: number) => new Date(ms).toISOString();
/** Markdown inline text: no raw HTML, no accidental emphasis/links from user input. */
const md = (value: unknown) =>
  String(value ?? "")
    .replace(/([\\`*_[\]<>#|])/g, "\\$1")
    .replace(/\r?\n/g, " ");

/** The Markdown export: a report a human can read or paste into a wiki. */
export function toMarkdownExport(bundle: SessionBundle): string {
  const { session, participants, events, findings, screenshots, links } = bundle;
  const out: string[] = [
    `# ${md(session.title)}`,
    "",
    `- **Charter:** ${md(session.charter)}`,
    `- **Environment:** ${md(session.environment)}`,
    ...(session.url ? [`- **URL:** ${md(session.url)}`] : []),
    `- **Timebox:** ${session.timeboxMinutes} min`,
    `- **Status:** ${session.status}${session.endedAt ? ` (ended ${iso(session.endedAt)})` : ""}`,
    `- **Started:** ${iso(session.createdAt)}`,
    `- **Participants:** ${participants.map((p) => `${md(p.name)} (${p.role})`).join(", ") || "none"}`,
    "",
    `## Findings (${findings.length})`,
    "",
  ];
  if (!findings.length) out.push("None.", "");
  for (const f of findings) {
    out.push(`### [${f.severity}] ${md(f.title)}`, "");
    if (f.description) out.push(md(f.description), "");
    if (f.stepSeqs.length) out.push(`Steps: ${f.stepSeqs.map((s) => `#${s}`).join(", ")}`, "");
    if (f.jiraIssueKey) out.push(`Jira: [${f.jiraIssueKey}](${f.jiraUrl})`, "");
  }
  out.push("## Timeline", "");
  for (const e of events)
    out.push(`- \`#${e.seq}\` ${iso(e.at)} **${md(e.actor.name)}** ${timelineLine(e, links, session.id)}`);
  if (!events.length) out.push("No events.");
  out.push("");
  if (screenshots.length) {
    out.push("## Screenshots", "");
    for (const s of screenshots)
      out.push(`- [${s.id}](${screenshotLink(links, session.id, s.id)}) ${s.contentType}, ${s.size} bytes`);
    out.push("");
  }
  return out.join("\n");
}

function timelineLine(e: RoomEvent, links: SessionLinks, sessionId: string): string {
  const d = e.data;
  switch (e.kind) {
    case "step":
      return `step: ${md(describeStep(d))}`;
    case "note":
      return `note: ${md(d.text)}`;
    case "finding":
      return `finding [${md(d.severity)}]: ${md(d.title)}`;
    case "chat":
      return `chat: ${md(d.text)}`;
    case "prompt":
      return `asks${d.toRole ? ` (${md(d.toRole)})` : ""}: ${md(d.question)}`;
    case "answer":
      return `answers #${md(d.promptSeq)}: ${md(d.text)}`;
    case "screenshot":
      return `screenshot: [${md(d.screenshotId)}](${screenshotLink(links, sessionId, String(d.screenshotId))})${d.caption ? ` ${md(d.caption)}` : ""}`;
    default:
      return md(e.kind);
  }
}
