// Documented sg_ key: the detection guide's own check. The endpoint is not in Segment's API
// reference, so only 200 and 401/403 are read as answers; everything else is unknown.

import type { Verification } from '../types.js';
import { isRecord, parseJson, type HttpClient } from './http.js';
import { checkFailed, invalid, live, unexpectedBody, unexpectedStatus } from './verdict.js';

export async function verifySgKey(key: string, http: HttpClient, signal?: AbortSignal): Promise<Verification> {
  const result = await http.get(
    { kind: 'sg-key', host: 'api.segment.io', path: '/v1/projects', headers: { authorization: `Bearer ${key}` }, secret: key },
    signal,
  );
  if (!result.ok) return checkFailed(result);
  if (result.status === 401 || result.status === 403) return invalid(`${result.host} answered ${result.status} (key not accepted)`);
  if (result.status !== 200) return unexpectedStatus(result);
  const body = parseJson(result.body);
  const projects = Array.isArray(body) ? body : isRecord(body) ? body['projects'] ?? body['data'] : undefined;
  if (!Array.isArray(projects)) return unexpectedBody(result, 'a project list');
  return live(`${result.host} answered 200 with a project list`, { projects: String(projects.length) });
}
