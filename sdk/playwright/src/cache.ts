import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import type { ElementDescriptor } from "@shifty/sdk";

/**
 * The `.shifty/` folder next to the tests:
 * - descriptors.json: locator → descriptor of the element it found last time (the heal's target)
 * - heals.json:       locator → accepted heal (heal once, reuse), refreshed from the project on demand
 * - heal-report.json: written by the reporter at the end of a run
 * Several Playwright workers write at teardown, so writes merge under a lock file.
 */
export type StoredDescriptor = { descriptor: ElementDescriptor; seenAt: number; url?: string };
export type DescriptorFile = { version: 1; descriptors: Record<string, StoredDescriptor> };

export type CachedHeal = {
  id?: string;
  originalSelector: string;
  healedSelector: string;
  confidence: number;
  location?: string;
  status: "accepted";
};
export type HealsFile = { version: 1; refreshedAt: number | null; heals: CachedHeal[] };

export function readJson<T>(path: string, fallback: T): T {
  try {
    return JSON.parse(readFileSync(path, "utf8")) as T;
  } catch {
    return fallback;
  }
}

/** Atomic replace: write a temp file, then rename over the old one. */
export function writeJsonAtomic(path: string, value: unknown) {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(value, null, 1)}\n`);
  renameSync(tmp, path);
}

/** A tiny cross-process lock (O_EXCL lock file). Stale locks (> 10 s) are broken. */
export function withLock<T>(path: string, fn: () => T): T {
  const lock = `${path}.lock`;
  mkdirSync(dirname(path), { recursive: true });
  const started = Date.now();
  for (;;) {
    try {
      closeSync(openSync(lock, "wx"));
      break;
    } catch {
      if (Date.now() - started > 10_000) {
        rmSync(lock, { force: true });
        continue;
      }
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 15);
    }
  }
  try {
    return fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

export class ShiftyCache {
  readonly dir: string;
  private descriptors: DescriptorFile | null = null;
  private heals: HealsFile | null = null;
  private readonly fresh = new Map<string, StoredDescriptor>();

  constructor(dir: string) {
    this.dir = dir;
  }

  get descriptorsPath() {
    return join(this.dir, "descriptors.json");
  }
  get healsPath() {
    return join(this.dir, "heals.json");
  }

  /** The stored descriptor for a locator (read lazily: only a failing locator needs it). */
  descriptorFor(key: string): StoredDescriptor | null {
    const fresh = this.fresh.get(key);
    if (fresh) return fresh;
    this.descriptors ??= readJson<DescriptorFile>(this.descriptorsPath, { version: 1, descriptors: {} });
    return this.descriptors.descriptors[key] ?? null;
  }

  /** Remembered in memory; written once at worker teardown. */
  rememberDescriptor(key: string, stored: StoredDescriptor) {
    this.fresh.set(key, stored);
  }

  get pendingDescriptors() {
    return this.fresh.size;
  }

  /** Merges this worker's descriptors into descriptors.json. */
  flushDescriptors() {
    if (this.fresh.size === 0) return;
    const path = this.descriptorsPath;
    withLock(path, () => {
      const file = readJson<DescriptorFile>(path, { version: 1, descriptors: {} });
      for (const [key, value] of this.fresh) file.descriptors[key] = value;
      writeJsonAtomic(path, file);
    });
    this.fresh.clear();
  }

  healsFile(): HealsFile {
    this.heals ??= readJson<HealsFile>(this.healsPath, { version: 1, refreshedAt: null, heals: [] });
    return this.heals;
  }

  /** Accepted heals for a locator, the one recorded at the same source location first. */
  acceptedHealsFor(key: string, location?: string): CachedHeal[] {
    const matches = this.healsFile().heals.filter((h) => h.originalSelector === key);
    return matches.sort((a, b) => Number(b.location === location) - Number(a.location === location));
  }

  replaceHeals(heals: CachedHeal[]) {
    const path = this.healsPath;
    withLock(path, () => {
      this.heals = { version: 1, refreshedAt: Date.now(), heals };
      writeJsonAtomic(path, this.heals);
    });
  }

  addHeal(heal: CachedHeal) {
    const path = this.healsPath;
    withLock(path, () => {
      const file = readJson<HealsFile>(path, { version: 1, refreshedAt: null, heals: [] });
      file.heals = file.heals.filter(
        (h) => !(h.originalSelector === heal.originalSelector && h.location === heal.location),
      );
      file.heals.push(heal);
      writeJsonAtomic(path, file);
      this.heals = file;
    });
  }

  exists() {
    return existsSync(this.dir);
  }
}
