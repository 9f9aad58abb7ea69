// Reading a workspace into a known-keys file: every source (all pages of GET /sources), its
// connected destinations (GET /sources/{id}/connected-destinations), and the SHA-256 of each
// write key. Raw keys exist only in the answers being read and are hashed at once; nothing here
// logs, stores or returns one. A partial read is an error: a file missing a source would quietly
// miss that source's key in every scan.

import { hash } from 'node:crypto';
import { SegmentApiError } from '../errors.js';
import { createLimiter } from '../verify/limiter.js';
import { isRecord } from '../verify/http.js';
import { sourceKindOf } from '../segment/sourceKind.js';
import { text, type PublicApi, type Workspace } from '../segment/publicApi.js';
import { KNOWN_KEYS_FORMAT, KNOWN_KEYS_VERSION, WRITE_KEY_LENGTHS, type KnownKeysFile, type KnownKeysSource } from './file.js';

export interface SyncResult {
  file: KnownKeysFile;
  /** Sources whose writeKeys came back empty (the token may lack Source Admin on them). */
  withoutKeys: number;
}

/** Destination counts are read a few sources at a time: the API limits requests per second. */
const CONCURRENCY = 4;

export async function syncKnownKeys(api: PublicApi, workspace: Workspace, now: Date, signal?: AbortSignal): Promise<SyncResult> {
  const listed = await api.list('/sources', 'sources', { signal });
  if (!listed.ok) {
    throw new SegmentApiError(`${listed.reason}; ${listed.denied ? 'use a token of a Workspace Owner (read-only is enough)' : 'try again later'}`);
  }
  if (!listed.complete) throw new SegmentApiError(`reading the list of sources stopped part way (${listed.failure ?? 'unknown reason'}); nothing was written; try again`);
  const limit = createLimiter(CONCURRENCY);
  const sources = await Promise.all(listed.items.filter(isRecord).map((s) => limit(() => readSource(api, s, signal))));
  const withoutKeys = sources.filter((s) => s.writeKeys.length === 0).length;
  if (sources.length > 0 && withoutKeys === sources.length) {
    throw new SegmentApiError(
      `${api.host} lists ${sources.length} sources but none of their write keys (Segment leaves writeKeys empty unless the token has Source Admin); use a Workspace Owner token`,
    );
  }
  const file: KnownKeysFile = {
    format: KNOWN_KEYS_FORMAT,
    version: KNOWN_KEYS_VERSION,
    generatedAt: now.toISOString(),
    workspace: { ...workspace, region: api.region },
    sources,
  };
  return { file, withoutKeys };
}

async function readSource(api: PublicApi, s: Record<string, unknown>, signal: AbortSignal | undefined): Promise<KnownKeysSource> {
  const id = text(s['id']);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(id)) throw new SegmentApiError(`${api.host} listed a source without a usable id; nothing was written`);
  const destinations = await api.list(`/sources/${encodeURIComponent(id)}/connected-destinations`, 'destinations', { signal });
  if (!destinations.ok || !destinations.complete) {
    const reason = destinations.ok ? destinations.failure ?? 'stopped part way' : destinations.reason;
    throw new SegmentApiError(`cannot count the destinations of source ${id} (${reason}); nothing was written; try again`);
  }
  const keys = Array.isArray(s['writeKeys']) ? s['writeKeys'].filter((k): k is string => typeof k === 'string') : [];
  return {
    id,
    slug: text(s['slug']),
    name: text(s['name']),
    enabled: s['enabled'] === true,
    kind: sourceKindOf(isRecord(s['metadata']) ? s['metadata'] : undefined),
    destinations: destinations.total ?? destinations.items.length,
    // A value of another shape is no write key a scan could find; it is left out, never echoed.
    writeKeys: keys.filter((k) => WRITE_KEY_LENGTHS.includes(k.length)).map((k) => ({ sha256: hash('sha256', k, 'hex'), length: k.length, hasDigit: /[0-9]/.test(k) })),
  };
}
