import { type AuditContext, auditedBatch } from "../audit/repository.ts";
import type { Screenshot } from "../contract/sessions.ts";
import type { Db } from "../db/client.ts";
import { sessionScreenshots } from "../db/schema/sessions.ts";
import { ApiError, notFound } from "../errors.ts";
import { newId } from "../ids.ts";
import type { SessionLinks } from "./export.ts";
import { findScreenshot, type ScreenshotRow, type SessionRow, screenshotKey } from "./repository.ts";
import { appendedOrThrow, type RoomActor, type RoomDirectory } from "./room.ts";
import { requireSession } from "./service.ts";

/** Screenshot uploads: the type is decided by the bytes, never by the Content-Type header. */
export const MAX_SCREENSHOT_BYTES = 10 * 1024 * 1024;

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];

export type ImageType = "image/png" | "image/jpeg";

export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const starts = (sig: number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts(PNG)) return "image/png";
  if (starts(JPEG)) return "image/jpeg";
  return null;
}

/** Content-Type headers a client may send with a screenshot (the bytes still decide). */
export const ACCEPTED_UPLOAD_TYPES = new Set(["image/png", "image/jpeg", "application/octet-stream"]);

/** Refuses a Content-Type no screenshot may be sent with (checked before the body is read). */
export function requireUploadType(declaredType: string) {
  if (!ACCEPTED_UPLOAD_TYPES.has(declaredType)) {
    throw new ApiError("unsupported_media_type", "Send the image as image/png or image/jpeg");
  }
}

/** Refuses a body that is not a PNG or JPEG of acceptable size; returns its real type. */
export function screenshotTypeOf(bytes: Uint8Array): ImageType {
  if (bytes.byteLength === 0) throw new ApiError("bad_request", "The body is empty");
  if (bytes.byteLength > MAX_SCREENSHOT_BYTES) {
    throw new ApiError("payload_too_large", `Screenshots are limited to ${MAX_SCREENSHOT_BYTES} bytes`);
  }
  const contentType = sniffImageType(bytes);
  if (!contentType) throw new ApiError("unsupported_media_type", "The body is not a PNG or JPEG image");
  return contentType;
}

export type ScreenshotUpload = {
  session: SessionRow;
  actor: RoomActor;
  audit: AuditContext;
  contentType: ImageType;
  bytes: Uint8Array;
  caption?: string;
  links: Pick<SessionLinks, "screenshotPath">;
};

/**
 * Stores a screenshot (R2 object, then its D1 row; the object is removed again when the row cannot be
 * written) and has the room broadcast it as a `screenshot` event.
 */
export async function uploadScreenshot(
  db: Db,
  artifacts: R2Bucket,
  rooms: RoomDirectory,
  upload: ScreenshotUpload,
  now = Date.now(),
): Promise<Screenshot> {
  const { session, actor, contentType, bytes, caption } = upload;
  const { orgId, id: sessionId } = session;
  const id = newId("shot", now);
  const key = screenshotKey(orgId, sessionId, id, contentType);
  const size = bytes.byteLength;
  await artifacts.put(key, bytes, {
    httpMetadata: { contentType },
    customMetadata: { orgId, sessionId, uploadedBy: actor.id },
  });
  try {
    await auditedBatch(
      db,
      orgId,
      upload.audit,
      {
        action: "session.screenshot.upload",
        targetType: "screenshot",
        targetId: id,
        changes: { sessionId, contentType, size },
      },
      () => [
        db.insert(sessionScreenshots).values({
          id,
          orgId,
          sessionId,
          r2Key: key,
          contentType,
          size,
          createdBy: actor.id,
          createdAt: now,
        }),
      ],
    );
  } catch (error) {
    await artifacts.delete(key).catch(() => undefined);
    throw error;
  }
  const url = upload.links.screenshotPath(sessionId, id);
  const data = { screenshotId: id, url, contentType, size, ...(caption ? { caption } : {}) };
  const event = appendedOrThrow(await rooms(session).appendScreenshot(actor, data));
  return { id, url, contentType, size, seq: event.seq };
}

/** A stored screenshot and its bytes, or a 404 (unknown id, another session's, or a lost object). */
export async function readScreenshot(
  db: Db,
  artifacts: R2Bucket,
  orgId: string,
  sessionId: string,
  shotId: string,
) {
  await requireSession(db, orgId, sessionId);
  const row = await findScreenshot(db, orgId, sessionId, shotId);
  if (!row) throw notFound("Screenshot");
  const object = await artifacts.get(row.r2Key);
  if (!object) throw notFound("Screenshot");
  return { row, object };
}

/** The file name a downloaded screenshot gets. */
export const screenshotFileName = (row: ScreenshotRow) =>
  `${row.id}.${row.contentType === "image/png" ? "png" : "jpg"}`;
