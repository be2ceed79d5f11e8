/**
 * Prefixed, time-ordered ids (`org_…`, `prj_…`): 10 chars of millisecond time in Crockford base32,
 * then 16 random base32 chars (80 bits). Time order lets lists paginate with `id < cursor` and no
 * separate sort column; the random part makes ids unguessable.
 */
const ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz";

export type IdPrefix =
  | "org"
  | "usr"
  | "prj"
  | "key"
  | "inv"
  | "rol"
  | "aud"
  | "job"
  | "req"
  | "hea"
  | "mdl"
  | "run"
  | "res"
  | "tst"
  | "cls"
  | "src"
  | "evt"
  | "whe"
  | "dlv"
  | "ses"
  | "stp"
  | "fnd"
  | "shot"
  | "jira"
  | "inc"
  | "dep"
  | "chg"
  | "att"
  | "cip"
  | "hlc"
  | "ntf"
  | "sld"
  | "lead"
  | "lev"
  | "exp"
  | "mcp"
  | "mcs"
  | "sgn"
  | "gen"
  | "ail"
  | "wfr"
  | "art"
  | "oex";

export function newId(prefix: IdPrefix, at: number = Date.now()): string {
  let time = "";
  let t = Math.max(0, Math.floor(at));
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[t % 32] + time;
    t = Math.floor(t / 32);
  }
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let rand = "";
  for (const b of bytes) rand += ALPHABET[b % 32];
  return `${prefix}_${time}${rand}`;
}

/** Lowercase slug of a display name, for URLs and uniqueness checks. */
export function slugify(name: string): string {
  const slug = name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 48);
  return slug || "x";
}
