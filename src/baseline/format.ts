// The baseline file: findings a team has accepted, by identity only. No secrets, no line numbers,
// no timestamps, sorted: regenerating it on an unchanged repository gives the same bytes, and two
// branches that add different entries merge without conflicts in unrelated lines.
//
//   { "version": 1,
//     "entries": [ { "path": "src/app.js", "ruleId": "segment-write-key", "secretHash": "<sha256 hex>" } ] }
//
// Parsing never echoes the file's content in an error: a hand-edited baseline might hold a secret.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { findingFingerprint } from '../engine/fingerprint.js';
import { ConfigError } from '../errors.js';
import type { Finding } from '../types.js';

export const BASELINE_VERSION = 1;

export interface BaselineEntry {
  path: string;
  ruleId: string;
  /** SHA-256 of the secret, hex (the finding's `secretHash`). */
  secretHash: string;
}

export interface Baseline {
  version: typeof BASELINE_VERSION;
  entries: BaselineEntry[];
}

export const BASELINE_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'segscan-baseline.schema.json',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'entries'],
  properties: {
    version: { const: BASELINE_VERSION },
    entries: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['path', 'ruleId', 'secretHash'],
        properties: {
          path: { type: 'string', minLength: 1 },
          ruleId: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' },
          secretHash: { type: 'string', pattern: '^[0-9a-f]{64}$' },
        },
      },
    },
  },
} as const;

/** A baseline entry's identity, the same value as the matching finding's `fingerprint`. */
export function entryFingerprint(entry: BaselineEntry): string {
  return findingFingerprint(entry.ruleId, entry.secretHash, entry.path);
}

function compareEntries(a: BaselineEntry, b: BaselineEntry): number {
  const key = (e: BaselineEntry) => [e.path, e.ruleId, e.secretHash] as const;
  const [x, y] = [key(a), key(b)];
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== y[i]) return (x[i] as string) < (y[i] as string) ? -1 : 1;
  }
  return 0;
}

export function baselineFromFindings(findings: readonly Finding[]): Baseline {
  const byFingerprint = new Map<string, BaselineEntry>();
  for (const f of findings) byFingerprint.set(f.fingerprint, { path: f.path, ruleId: f.ruleId, secretHash: f.secretHash });
  return { version: BASELINE_VERSION, entries: [...byFingerprint.values()].sort(compareEntries) };
}

export function serializeBaseline(baseline: Baseline): string {
  const entries = baseline.entries.map((e) => ({ path: e.path, ruleId: e.ruleId, secretHash: e.secretHash }));
  return `${JSON.stringify({ version: baseline.version, entries }, null, 2)}\n`;
}

let validator: ValidateFunction | undefined;

function where(error: ErrorObject): string {
  const m = /^\/entries\/(\d+)(?:\/(path|ruleId|secretHash))?/.exec(error.instancePath);
  if (m) return m[2] ? `entries[${m[1]}].${m[2]}` : `entries[${m[1]}]`;
  return error.instancePath === '/version' ? 'version' : error.instancePath === '/entries' ? 'entries' : 'the top level';
}

/** What is wrong, without the value and without unknown key names (either could be a secret). */
function problem(error: ErrorObject): string {
  const at = where(error);
  switch (error.keyword) {
    case 'const':
      return `unsupported version (this segscan reads version ${BASELINE_VERSION}); regenerate it with segscan baseline`;
    case 'required':
      return `${at} is missing '${String((error.params as { missingProperty: string }).missingProperty)}'`;
    case 'additionalProperties':
      return `${at} has an unknown field`;
    case 'pattern':
      return at.endsWith('secretHash') ? `${at} must be 64 lower-case hex characters (a SHA-256)` : `${at} must be a rule id`;
    case 'type':
      return `${at} must be ${String((error.params as { type: string }).type)}`;
    default:
      return `${at} is invalid`;
  }
}

const REGENERATE = 'fix it or regenerate it with segscan baseline';

export function parseBaseline(text: string, name: string): Baseline {
  let content: unknown;
  try {
    content = JSON.parse(text.replace(/^\uFEFF/, '')) as unknown;
  } catch (e) {
    // V8's message quotes the text around the error; report only where it is.
    const position = /position (\d+)/.exec((e as Error).message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    throw new ConfigError(`baseline ${name}: not valid JSON${line ? ` (line ${line})` : ''}; ${REGENERATE}`);
  }
  validator ??= new (createRequire(import.meta.url)('ajv') as typeof import('ajv')).Ajv({ allErrors: false, strict: false }).compile(BASELINE_SCHEMA);
  if (!validator(content)) {
    const error = validator.errors?.[0];
    throw new ConfigError(`baseline ${name}: ${error ? problem(error) : 'invalid'}; ${REGENERATE}`);
  }
  return content as Baseline;
}
