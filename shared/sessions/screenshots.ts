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
