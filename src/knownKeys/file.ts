// The known-keys file that `segscan workspace sync` writes and `--known-keys` reads: the sources of
// one workspace with the SHA-256 of each write key. It never holds a key: a scan hashes each
// write-key-shaped token and looks the hash up. Parsing is strict, so a hand-edited or truncated
// file fails with one line instead of silently matching nothing.

import { ConfigError } from '../errors.js';
import type { KnownKeySource, SourceKind } from '../types.js';
import { SOURCE_KINDS } from '../segment/sourceKind.js';

export const KNOWN_KEYS_FORMAT = 'segscan-known-keys';
export const KNOWN_KEYS_VERSION = 1;

export interface KnownKeysWorkspace {
  id: string;
  slug: string;
  name: string;
  region: 'us' | 'eu';
}

export interface KnownKeysSource {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  kind: SourceKind;
  /** Connected destinations when the file was written. */
  destinations: number;
  /**
   * SHA-256 (hex) of each write key, its length and whether it holds a digit: a scan hashes only
   * tokens that could be one of them (a 10-character word is hashed only if some old key is one).
   */
  writeKeys: Array<{ sha256: string; length: number; hasDigit: boolean }>;
}

export interface KnownKeysFile {
  format: typeof KNOWN_KEYS_FORMAT;
  version: typeof KNOWN_KEYS_VERSION;
  generatedAt: string;
  workspace: KnownKeysWorkspace;
  sources: KnownKeysSource[];
}

/**
 * What the engine needs, as plain data (it is sent to the scan's worker threads): each known hash
 * with the source it belongs to, and the key lengths that occur.
 */
export interface KnownKeyIndex {
  lengths: number[];
  /** Some 10-character key has no digit, so 10-letter words must be looked up too. */
  legacyWithoutDigit: boolean;
  entries: Array<[sha256: string, source: KnownKeySource]>;
}

/** Write keys are 32 letters and digits; very old ones 10 lower-case letters and digits. */
export const WRITE_KEY_LENGTHS: readonly number[] = [32, 10];

export function serializeKnownKeys(file: KnownKeysFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

export function knownKeyIndex(file: KnownKeysFile): KnownKeyIndex {
  const workspace = { id: file.workspace.id, slug: file.workspace.slug, name: file.workspace.name };
  const entries: KnownKeyIndex['entries'] = [];
  const lengths = new Set<number>();
  let legacyWithoutDigit = false;
  for (const s of file.sources) {
    const source = { id: s.id, slug: s.slug, name: s.name, enabled: s.enabled, kind: s.kind, destinations: s.destinations };
    for (const key of s.writeKeys) {
      entries.push([key.sha256, { workspace, source }]);
      lengths.add(key.length);
      if (key.length === 10 && !key.hasDigit) legacyWithoutDigit = true;
    }
  }
  return { lengths: [...lengths].sort((a, b) => b - a), legacyWithoutDigit, entries };
}

/** Parse and check a known-keys file; `name` is how error messages refer to it. Throws ConfigError. */
export function parseKnownKeys(text: string, name: string): KnownKeysFile {
  const fail = (what: string): never => {
    throw new ConfigError(`known-keys file ${name}: ${what}; write it again with segscan workspace sync`);
  };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return fail('not valid JSON');
  }
  const root = record(json) ?? fail('not a JSON object');
  if (root['format'] !== KNOWN_KEYS_FORMAT) fail(`"format" is not "${KNOWN_KEYS_FORMAT}"`);
  if (root['version'] !== KNOWN_KEYS_VERSION) fail(`version ${String(root['version'])} is not one this segscan reads (${KNOWN_KEYS_VERSION})`);
  const ws = record(root['workspace']) ?? fail('"workspace" is missing');
  const region = ws['region'] === 'eu' ? 'eu' : ws['region'] === 'us' ? 'us' : fail('workspace.region must be "us" or "eu"');
  const workspace: KnownKeysWorkspace = { id: str(ws, 'id', 'workspace', fail), slug: str(ws, 'slug', 'workspace', fail), name: str(ws, 'name', 'workspace', fail), region };
  if (!Array.isArray(root['sources'])) fail('"sources" must be a list');
  const sources = (root['sources'] as unknown[]).map((value, i) => parseSource(value, `sources[${i}]`, fail));
  const generatedAt = typeof root['generatedAt'] === 'string' ? root['generatedAt'] : fail('"generatedAt" is missing');
  return { format: KNOWN_KEYS_FORMAT, version: KNOWN_KEYS_VERSION, generatedAt, workspace, sources };
}

function parseSource(value: unknown, where: string, fail: (what: string) => never): KnownKeysSource {
  const s = record(value) ?? fail(`${where} is not an object`);
  const kind = SOURCE_KINDS.find((k) => k === s['kind']) ?? fail(`${where}.kind must be one of ${SOURCE_KINDS.join(', ')}`);
  if (typeof s['enabled'] !== 'boolean') fail(`${where}.enabled must be true or false`);
  const destinations = s['destinations'];
  if (typeof destinations !== 'number' || !Number.isInteger(destinations) || destinations < 0) fail(`${where}.destinations must be a whole number`);
  if (!Array.isArray(s['writeKeys'])) fail(`${where}.writeKeys must be a list`);
  const writeKeys = (s['writeKeys'] as unknown[]).map((k, j) => {
    const key = record(k);
    const sha256 = key?.['sha256'];
    const length = key?.['length'];
    // Anything but a hash here could be a raw key pasted by hand: refuse it without echoing it.
    if (typeof sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(sha256)) fail(`${where}.writeKeys[${j}].sha256 is not a SHA-256 in hex`);
    if (typeof length !== 'number' || !WRITE_KEY_LENGTHS.includes(length)) fail(`${where}.writeKeys[${j}].length must be ${WRITE_KEY_LENGTHS.join(' or ')}`);
    if (typeof key?.['hasDigit'] !== 'boolean') fail(`${where}.writeKeys[${j}].hasDigit must be true or false`);
    return { sha256: sha256 as string, length: length as number, hasDigit: key?.['hasDigit'] as boolean };
  });
  return {
    id: str(s, 'id', where, fail),
    slug: str(s, 'slug', where, fail),
    name: str(s, 'name', where, fail),
    enabled: s['enabled'] as boolean,
    kind,
    destinations: destinations as number,
    writeKeys,
  };
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

function str(obj: Record<string, unknown>, field: string, where: string, fail: (what: string) => never): string {
  const value = obj[field];
  return typeof value === 'string' ? value : fail(`${where}.${field} must be a string`);
}
