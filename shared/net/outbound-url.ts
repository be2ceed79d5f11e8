/**
 * The one outbound-URL policy for every client that calls a tenant-chosen host (webhook deliveries,
 * Jira, GitHub): an SSRF guard. Refuses private, loopback, link-local, CGNAT, multicast and
 * reserved IP literals (IPv4, IPv6, IPv4-mapped IPv6) and names that only resolve inside a network
 * (localhost, *.local, *.internal, …). Loopback is allowed only when the caller says local
 * development explicitly allows it.
 *
 * Limit: Workers cannot resolve DNS before fetch, so a public name pointing at a private address is
 * not caught here; Cloudflare's edge does not route Worker subrequests to private networks, and
 * deliveries never follow redirects (a redirect to an internal address would otherwise bypass this).
 */
export type UrlVerdict = { ok: true; url: URL } | { ok: false; reason: string };

type Range = [base: number, bits: number, label: "loopback" | "private" | "link-local" | "reserved"];

const ipv4 = (a: number, b: number, c: number, d: number) => ((a << 24) >>> 0) + (b << 16) + (c << 8) + d;

const V4_RANGES: Range[] = [
  [ipv4(127, 0, 0, 0), 8, "loopback"],
  [ipv4(0, 0, 0, 0), 8, "reserved"],
  [ipv4(10, 0, 0, 0), 8, "private"],
  [ipv4(100, 64, 0, 0), 10, "private"],
  [ipv4(169, 254, 0, 0), 16, "link-local"],
  [ipv4(172, 16, 0, 0), 12, "private"],
  [ipv4(192, 0, 0, 0), 24, "reserved"],
  [ipv4(192, 0, 2, 0), 24, "reserved"],
  [ipv4(192, 168, 0, 0), 16, "private"],
  [ipv4(198, 18, 0, 0), 15, "reserved"],
  [ipv4(198, 51, 100, 0), 24, "reserved"],
  [ipv4(203, 0, 113, 0), 24, "reserved"],
  [ipv4(224, 0, 0, 0), 4, "reserved"],
  [ipv4(240, 0, 0, 0), 4, "reserved"],
];

function classifyV4(address: number): Range[2] | null {
  for (const [base, bits, label] of V4_RANGES) {
    const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
    if ((address & mask) >>> 0 === base) return label;
  }
  return null;
}

function parseV4(host: string): number | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  if (parts.some((p) => p > 255)) return null;
  return ipv4(parts[0]!, parts[1]!, parts[2]!, parts[3]!);
}

/**
 * Expands an IPv6 literal into eight 16-bit groups. The WHATWG URL parser already rewrote any dotted
 * IPv4 tail (`::ffff:127.0.0.1` → `::ffff:7f00:1`), so a literal still holding a dot is refused.
 */
function parseV6(host: string): number[] | null {
  const h = host.toLowerCase();
  if (h.includes(".") || h.includes("%")) return null;
  const halves = h.split("::");
  if (halves.length > 2) return null;
  const parse = (s: string) =>
    s === ""
      ? []
      : s.split(":").map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? Number.parseInt(g, 16) : Number.NaN));
  const left = parse(halves[0]!);
  const right = halves.length === 2 ? parse(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return null;
  const groups = [...left, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...right];
  return groups.every((g) => Number.isInteger(g)) ? groups : null;
}

function classifyV6(g: number[]): Range[2] | null {
  const allZero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (allZero(0, 7) && g[7] === 1) return "loopback";
  if (allZero(0, 8)) return "reserved";
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), IPv4-translated (::ffff:0:a.b.c.d) and
  // NAT64 (64:ff9b::a.b.c.d) embed an IPv4 in the last 32 bits; 6to4 (2002:AABB:CCDD::) in groups 1–2.
  if (
    (allZero(0, 5) && (g[5] === 0xffff || g[5] === 0)) ||
    (allZero(0, 4) && g[4] === 0xffff && g[5] === 0) ||
    (g[0] === 0x64 && g[1] === 0xff9b && allZero(2, 6))
  ) {
    return classifyV4(((g[6]! << 16) >>> 0) + g[7]!) ?? null;
  }
  if (g[0] === 0x2002) return classifyV4(((g[1]! << 16) >>> 0) + g[2]!) ?? null;
  // Teredo (2001:0::/32) tunnels to an obfuscated IPv4, local-use NAT64 (64:ff9b:1::/48) to any:
  // neither can be checked, so neither is allowed.
  if (g[0] === 0x2001 && g[1] === 0) return "reserved";
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return "reserved";
  if (g[0] === 0x100 && allZero(1, 4)) return "reserved"; // discard-only 100::/64
  if ((g[0]! & 0xfe00) === 0xfc00) return "private";
  if ((g[0]! & 0xffc0) === 0xfec0) return "private"; // deprecated site-local
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0]! & 0xff00) === 0xff00) return "reserved";
  if (g[0] === 0x2001 && g[1] === 0x0db8) return "reserved";
  return null;
}

const INTERNAL_SUFFIXES = [
  ".local",
  ".localdomain",
  ".internal",
  ".intranet",
  ".lan",
  ".home.arpa",
  ".corp",
  ".svc",
  ".cluster.local",
];

function classifyHost(hostname: string): Range[2] | null {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host.startsWith("[") && host.endsWith("]")) {
    const groups = parseV6(host.slice(1, -1));
    return groups ? classifyV6(groups) : "reserved";
  }
  const v4 = parseV4(host);
  if (v4 !== null) return classifyV4(v4);
  if (host === "localhost" || host.endsWith(".localhost")) return "loopback";
  if (!host.includes(".") || INTERNAL_SUFFIXES.some((s) => host.endsWith(s))) return "private";
  return null;
}

/** Checks a tenant-supplied outbound URL. `allowLoopback` only in local development. */
export function checkOutboundUrl(raw: string, options: { allowLoopback: boolean }): UrlVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: "not a valid absolute URL" };
  }
  if (url.protocol !== "https:" && url.protocol !== "http:")
    return { ok: false, reason: "only http and https URLs are allowed" };
  if (url.username || url.password) return { ok: false, reason: "credentials in the URL are not allowed" };
  const label = classifyHost(url.hostname);
  if (label === "loopback" && options.allowLoopback) return { ok: true, url };
  if (label) return { ok: false, reason: `${label} addresses are not allowed` };
  return { ok: true, url };
}

/**
 * Checks a tenant-chosen bare host name (Jira's `acme.atlassian.net`) against the same policy as a
 * URL; https is implied.
 */
export function checkOutboundHost(host: string): UrlVerdict {
  if (!/^[a-z0-9.-]+$/i.test(host)) return { ok: false, reason: "not a DNS name" };
  return checkOutboundUrl(`https://${host}/`, { allowLoopback: false });
}

/**
 * `fetch` for tenant-chosen hosts: never follows a redirect (a 3xx to an internal address would
 * bypass the check above); the caller sees the 3xx as an unexpected answer.
 */
export function fetchNoRedirect(fetchFn: typeof fetch): typeof fetch {
  return (input, init) => fetchFn(input, { ...init, redirect: "manual" });
}
