/** Base62 random strings for API keys, invite tokens and secrets (rejection sampling: no modulo bias). */
const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    const bytes = crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < 248) out += BASE62[b % 62];
      if (out.length === length) break;
    }
  }
  return out;
}

/** `shf_` + 43 base62 chars ≈ 256 bits of entropy (≥ 32 random bytes). */
export function newApiKey(): string {
  return `shf_${randomBase62(43)}`;
}

export const API_KEY_PATTERN = /^shf_[0-9A-Za-z]{43}$/;
