import { fromBase64, toBase64 } from "./hash.ts";

/**
 * AES-256-GCM for secrets Shifty must read back (webhook HMAC secrets, Jira tokens): hashing is not an
 * option there. The key is derived from ENCRYPTION_KEY with HKDF so any ≥ 32-char secret works.
 * Format: `v1.<iv b64>.<ciphertext b64>`; `context` is bound as additional data so a ciphertext cannot be
 * moved to another row.
 */
const keyCache = new Map<string, Promise<CryptoKey>>();

function aesKey(secret: string): Promise<CryptoKey> {
  let key = keyCache.get(secret);
  if (!key) {
    key = (async () => {
      const raw = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), "HKDF", false, [
        "deriveKey",
      ]);
      return crypto.subtle.deriveKey(
        {
          name: "HKDF",
          hash: "SHA-256",
          salt: new TextEncoder().encode("shifty-secret-box"),
          info: new Uint8Array(),
        },
        raw,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    keyCache.set(secret, key);
  }
  return key;
}

export async function encryptSecret(secret: string, plaintext: string, context: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(context) },
    await aesKey(secret),
    new TextEncoder().encode(plaintext),
  );
  return `v1.${toBase64(iv)}.${toBase64(ct)}`;
}

export async function decryptSecret(secret: string, sealed: string, context: string): Promise<string> {
  const [version, iv, ct] = sealed.split(".");
  if (version !== "v1" || !iv || !ct) throw new Error("unrecognised sealed secret");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: fromBase64(iv), additionalData: new TextEncoder().encode(context) },
    await aesKey(secret),
    fromBase64(ct),
  );
  return new TextDecoder().decode(pt);
}
