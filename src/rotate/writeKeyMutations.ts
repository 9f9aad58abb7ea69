// The only code in segscan that changes anything in Segment: the two documented write-key calls,
// `POST /sources/{sourceId}/writekey` (create) and `DELETE /sources/{sourceId}/writekey/{writeKey}`
// (remove), v1alpha. Everything else goes through the GET-only client in src/verify/http.ts, which
// refuses any other method. Reaching this module needs an ApplyConsent, which only exists when the
// user passed --apply; every call is checked against the two path shapes, sent once (a retried
// POST could create a second key), never redirected, and logged by method, path and status with
// any key in the path redacted. The new key in the answer is returned, never logged.

import { redactSecret } from '../engine/redact.js';
import { REGION_HOST, type Region } from '../segment/publicApi.js';
import { describeNetworkError, isRecord, parseJson, readBody, resolveUrl, type FetchLike } from '../verify/http.js';

/** Proof that the user asked for changes (--apply). Built only by fromApplyFlag. */
export class ApplyConsent {
  static #token = Symbol('apply');
  private constructor(token: symbol) {
    if (token !== ApplyConsent.#token) throw new Error('ApplyConsent is only built from --apply');
  }
  static fromApplyFlag(apply: unknown): ApplyConsent | undefined {
    return apply === true ? new ApplyConsent(ApplyConsent.#token) : undefined;
  }
}

export const V1ALPHA = 'application/vnd.segment.v1alpha+json';
const SOURCE_ID = /^[A-Za-z0-9_-]{1,128}$/;
const WRITE_KEY = /^(?:[A-Za-z0-9]{32}|[a-z0-9]{10})$/;

export type MutationResult<T> = ({ ok: true } & T) | { ok: false; reason: string };

export interface WriteKeyMutations {
  /** The source's write keys after the new one was created. */
  createWriteKey(sourceId: string): Promise<MutationResult<{ writeKeys: string[] }>>;
  removeWriteKey(sourceId: string, writeKey: string): Promise<MutationResult<object>>;
}

export interface MutationOptions {
  fetch: FetchLike;
  token: string;
  region: Region;
  endpoints: Readonly<Record<string, string>>;
  timeoutMs: number;
  /** One line per call: method, path (keys redacted), status. */
  log: (line: string) => void;
  signal?: AbortSignal | undefined;
}

export function writeKeyMutations(consent: ApplyConsent, options: MutationOptions): WriteKeyMutations {
  if (!(consent instanceof ApplyConsent)) throw new Error('write-key changes need --apply');
  const host = REGION_HOST[options.region];

  async function send(method: 'POST' | 'DELETE', sourceId: string, writeKey?: string): Promise<MutationResult<{ body: unknown }>> {
    if (!SOURCE_ID.test(sourceId)) return { ok: false, reason: 'the source id is not a Segment id' };
    if (writeKey !== undefined && !WRITE_KEY.test(writeKey)) return { ok: false, reason: 'the key to remove is not write-key-shaped' };
    const path = `/sources/${sourceId}/writekey${writeKey === undefined ? '' : `/${writeKey}`}`;
    const shown = `${method} /sources/${sourceId}/writekey${writeKey === undefined ? '' : `/${redactSecret(writeKey)}`}`;
    const { url, viaOverride } = resolveUrl(host, path, options.endpoints);
    if (url.protocol !== 'https:' && !(viaOverride && url.protocol === 'http:')) return { ok: false, reason: `${url.protocol} is not allowed` };
    const timeout = AbortSignal.timeout(options.timeoutMs);
    let response: Response;
    try {
      response = await options.fetch(url, {
        method,
        headers: { accept: V1ALPHA, authorization: `Bearer ${options.token}`, 'user-agent': 'segscan' },
        redirect: 'manual',
        signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
      });
    } catch (error) {
      const why = timeout.aborted ? `no answer within ${options.timeoutMs / 1000} s` : describeNetworkError(error);
      options.log(`${shown} -> failed (${why})`);
      return { ok: false, reason: `${shown} failed (${why}); it may or may not have been applied: check the source's API Keys in the app` };
    }
    const body = await readBody(response).catch(() => '');
    options.log(`${shown} -> ${response.status}`);
    if (response.status >= 200 && response.status < 300) return { ok: true, body: parseJson(body) };
    const advice =
      response.status === 429 ? 'rate limited; not retried, so nothing is done twice: wait a minute and run again'
      : response.status === 401 || response.status === 403 ? 'the token may not change this source (it needs Source Admin or Workspace Owner)'
      : response.status >= 300 && response.status < 400 ? 'redirects are not followed'
      : 'see the status above';
    return { ok: false, reason: `${host} answered ${response.status} to ${shown}; ${advice}` };
  }

  return {
    async createWriteKey(sourceId) {
      const answer = await send('POST', sourceId);
      if (!answer.ok) return answer;
      const data = isRecord(answer.body) ? answer.body['data'] : undefined;
      const source = isRecord(data) ? data['source'] : undefined;
      const keys = isRecord(source) && Array.isArray(source['writeKeys']) ? source['writeKeys'].filter((k): k is string => typeof k === 'string') : undefined;
      if (!keys) return { ok: false, reason: `${host} answered the POST without the source's write keys; check the source's API Keys in the app` };
      return { ok: true, writeKeys: keys };
    },
    async removeWriteKey(sourceId, writeKey) {
      const answer = await send('DELETE', sourceId, writeKey);
      return answer.ok ? { ok: true } : answer;
    },
  };
}
