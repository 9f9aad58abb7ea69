// The built-in rules, parsed and validated once at build time into dist/builtin-rules.json, so a
// pre-commit run loads them with JSON.parse instead of a YAML parser and a schema compiler.
// Stale caches are ignored: every rule file's name, size and mtime must match what was cached.
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageFile } from '../packageFiles.js';
import type { RuleFile } from './ruleFile.js';

const RULES_DIR = packageFile('rules');
const CACHE_FILE = packageFile('dist', 'builtin-rules.json');

interface CacheEntry {
  name: string;
  size: number;
  mtimeMs: number;
}

interface Cache {
  version: 1;
  entries: CacheEntry[];
  files: RuleFile[];
}

/** The rule files of a directory: `.yaml`/`.yml`, in name order (shared with load.ts). */
export function ruleFileNames(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
}

function currentEntries(): CacheEntry[] {
  return ruleFileNames(RULES_DIR).map((name) => {
    const info = statSync(join(RULES_DIR, name));
    return { name, size: info.size, mtimeMs: info.mtimeMs };
  });
}

export function readBuiltinCache(): RuleFile[] | undefined {
  let cache: Cache;
  try {
    cache = JSON.parse(readFileSync(CACHE_FILE, 'utf8')) as Cache;
  } catch {
    return undefined;
  }
  const now = currentEntries();
  const fresh = cache.version === 1 && now.length === cache.entries.length && now.every((e, i) => {
    const c = cache.entries[i];
    return c !== undefined && c.name === e.name && c.size === e.size && c.mtimeMs === e.mtimeMs;
  });
  return fresh ? cache.files.map((f) => ({ ...f, trusted: true })) : undefined;
}

/** Write the cache for already-validated built-in rule files (the build step, src/build/ruleCache.ts). */
export function writeBuiltinCache(files: RuleFile[]): void {
  const cache: Cache = { version: 1, entries: currentEntries(), files };
  writeFileSync(CACHE_FILE, JSON.stringify(cache));
}

export const BUILTIN_CACHE_FILE = CACHE_FILE;
