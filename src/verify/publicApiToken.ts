// Public API token: ask the API root who we are. A token only lives in one region, so a
// 401/403 from the US host is not a verdict until the EU host agrees.

import type { Verification } from '../types.js';
import { isRecord, parseJson, type HttpClient, type HttpResult, type SegmentHost } from './http.js';
import { checkFailed, invalid, live, unexpectedBody, unexpectedStatus, unknown } from './verdict.js';

const REGIONS: ReadonlyArray<{ host: SegmentHost; region: string }> = [
  { host: 'api.segmentapis.com', region: 'US' },
  { host: 'eu1.api.segmentapis.com', region: 'EU' },
];

export async function verifyPublicApiToken(token: string, http: HttpClient, signal?: AbortSignal): Promise<Verification> {
  const refusals: string[] = [];
  const failures: Verification[] = [];
  for (const { host, region } of REGIONS) {
    const result = await http.get(
      { kind: 'public-api-token', host, path: '/', headers: { authorization: `Bearer ${token}` }, secret: token },
      signal,
    );
    if (!result.ok && result.cancelled) return checkFailed(result);
    const verdict = readAnswer(result, region);
    if ('refusedWith' in verdict) refusals.push(`${host} answered ${verdict.refusedWith}`);
    else if (verdict.status === 'live') return verdict;
    else failures.push(verdict);
  }
  if (failures.length === 0) return invalid(`${refusals.join(' and ')} (token not accepted in either region)`);
  const reasons = [...refusals, ...failures.map((f) => f.reason)];
  return unknown(reasons.join('; '));
}

/** A verdict for one region, or the 401/403 that only counts once both regions agree. */
function readAnswer(result: HttpResult, region: string): Verification | { refusedWith: number } {
  if (!result.ok) return checkFailed(result);
  if (result.status === 401 || result.status === 403) return { refusedWith: result.status };
  if (result.status !== 200) return unexpectedStatus(result);
  const body = parseJson(result.body);
  const data = isRecord(body) ? body['data'] : undefined;
  const workspace = isRecord(data) ? data['workspace'] : undefined;
  if (!isRecord(workspace)) return unexpectedBody(result, 'a workspace description');
  const details: Record<string, string> = { region };
  for (const [field, key] of [['name', 'workspaceName'], ['slug', 'workspaceSlug'], ['id', 'workspaceId']] as const) {
    const value = workspace[field];
    if (typeof value === 'string') details[key] = value;
  }
  return live(`${result.host} answered 200 for workspace ${details['workspaceSlug'] ?? details['workspaceName'] ?? '(unnamed)'}`, details);
}
