// Legacy Config API token: list workspaces. 403 means the token authenticated but lacks the
// scope to list them, which still makes it live.

import type { Verification } from '../types.js';
import { isRecord, parseJson, type HttpClient } from './http.js';
import { checkFailed, invalid, live, unexpectedBody, unexpectedStatus } from './verdict.js';

export async function verifyConfigApiToken(token: string, http: HttpClient, signal?: AbortSignal): Promise<Verification> {
  const result = await http.get(
    {
      kind: 'config-api-token',
      host: 'platform.segmentapis.com',
      path: '/v1beta/workspaces',
      headers: { authorization: `Bearer ${token}` },
      secret: token,
    },
    signal,
  );
  if (!result.ok) return checkFailed(result);
  if (result.status === 401) return invalid(`${result.host} answered 401 (token not accepted)`);
  if (result.status === 403) {
    return live(`${result.host} answered 403: the token is accepted but lacks the scope to list workspaces`, { scope: 'limited' });
  }
  if (result.status !== 200) return unexpectedStatus(result);
  const body = parseJson(result.body);
  const workspaces = isRecord(body) ? body['workspaces'] : undefined;
  if (!Array.isArray(workspaces)) return unexpectedBody(result, 'a workspace list');
  const details: Record<string, string> = { workspaces: String(workspaces.length) };
  const first: unknown = workspaces[0];
  if (isRecord(first)) {
    // Config API names look like "workspaces/<slug>".
    if (typeof first['name'] === 'string') details['workspaceSlug'] = first['name'].replace(/^workspaces\//, '');
    if (typeof first['display_name'] === 'string') details['workspaceName'] = first['display_name'];
  }
  return live(`${result.host} answered 200 with ${workspaces.length} workspace${workspaces.length === 1 ? '' : 's'}`, details);
}
