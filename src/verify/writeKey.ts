// Write key: fetch the source's public settings from the CDN, exactly what analytics.js does on
// page load. No event is sent and nothing is written.

import type { Verification } from '../types.js';
import { isRecord, parseJson, type HttpClient } from './http.js';
import { checkFailed, invalid, live, unexpectedBody, unexpectedStatus, unknown } from './verdict.js';
import { writeKeyReach } from '../blastRadius/writeKeyReach.js';

export async function verifyWriteKey(key: string, http: HttpClient, signal?: AbortSignal): Promise<Verification> {
  const result = await http.get(
    { kind: 'write-key', host: 'cdn.segment.com', path: `/v1/projects/${encodeURIComponent(key)}/settings`, secret: key },
    signal,
  );
  if (!result.ok) return checkFailed(result);
  if (result.status === 404) return invalid(`${result.host} answered 404 (invalid path or write key)`);
  if (result.status !== 200) return unexpectedStatus(result);
  const settings = parseJson(result.body);
  if (!isRecord(settings) || !isRecord(settings['integrations'])) {
    return unexpectedBody(result, 'source settings JSON');
  }
  const integrations = settings['integrations'];
  const own = integrations['Segment.io'];
  // The settings name the key they belong to; a mismatch means something else answered.
  if (isRecord(own) && typeof own['apiKey'] === 'string' && own['apiKey'] !== key) {
    return unknown(`${result.host} answered 200 but the settings belong to a different write key`);
  }
  const blastRadius = writeKeyReach(integrations);
  return {
    ...live(`${result.host} answered 200 with the source's settings`, {
      settings: 'found',
      destinations: String(blastRadius.areas[0]?.count ?? 0),
    }),
    blastRadius,
  };
}
