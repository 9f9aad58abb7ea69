// A minimal read-only client of Segment's Public API, over the verification HTTP policy (GET only,
// HTTPS to api.segmentapis.com / eu1.api.segmentapis.com or the --verify-endpoint override, no
// redirects, capped bodies, retries on 429/5xx). Paths, the `pagination.count`/`pagination.cursor`
// parameters and the `{data: {..., pagination: {next, totalEntries}}}` answers follow Segment's
// OpenAPI description (as in its generated SDKs).

import type { HttpClient, SegmentHost } from '../verify/http.js';
import { isRecord, parseJson } from '../verify/http.js';

export type Region = 'us' | 'eu';
export const REGION_HOST: Readonly<Record<Region, SegmentHost>> = { us: 'api.segmentapis.com', eu: 'eu1.api.segmentapis.com' };
export const REGION_LABEL: Readonly<Record<Region, string>> = { us: 'US', eu: 'EU' };

export type ApiFailure = { ok: false; status?: number; denied: boolean; reason: string };
export type ApiAnswer = { ok: true; data: Record<string, unknown> } | ApiFailure;
export type ListAnswer =
  /** `complete` is false when pages were left unread: a bound, or `failure` part way. */
  | { ok: true; items: unknown[]; total?: number; complete: boolean; failure?: string }
  | ApiFailure;

export interface ListOptions {
  pageSize?: number;
  /** Stop after this many pages; the answer then says it is not complete. */
  maxPages?: number;
  /** Checked before each page: false stops the walk (a request budget). */
  mayRequest?: () => boolean;
  query?: Record<string, string>;
  signal?: AbortSignal | undefined;
}

export interface PublicApi {
  readonly region: Region;
  readonly host: SegmentHost;
  /** GET requests sent so far (each retry counts once). */
  readonly requests: number;
  get(path: string, query?: Record<string, string>, signal?: AbortSignal): Promise<ApiAnswer>;
  /** Every page of a list, following `pagination.next`; `field` names the list in `data`. */
  list(path: string, field: string, options?: ListOptions): Promise<ListAnswer>;
}

export const DEFAULT_PAGE_SIZE = 200;

export function publicApi(http: HttpClient, token: string, region: Region): PublicApi {
  const host = REGION_HOST[region];
  let requests = 0;
  const api: PublicApi = {
    region,
    host,
    get requests() {
      return requests;
    },
    async get(path, query = {}, signal) {
      requests++;
      const search = new URLSearchParams(query).toString();
      const fullPath = search ? `${path}?${search}` : path;
      const result = await http.get(
        { kind: 'public-api-token', host, path: fullPath, headers: { authorization: `Bearer ${token}` }, secret: token },
        signal,
      );
      if (!result.ok) return { ok: false, denied: false, reason: result.reason };
      const what = `${host} answered ${result.status} to GET ${path}`;
      if (result.status === 401 || result.status === 403) return { ok: false, status: result.status, denied: true, reason: what };
      if (result.status !== 200) return { ok: false, status: result.status, denied: false, reason: what };
      const body = parseJson(result.body);
      const data = isRecord(body) ? body['data'] : undefined;
      if (!isRecord(data)) return { ok: false, status: 200, denied: false, reason: `${what} with a body that is not {"data": {...}}` };
      return { ok: true, data };
    },
    async list(path, field, options = {}) {
      const items: unknown[] = [];
      const pageSize = String(options.pageSize ?? DEFAULT_PAGE_SIZE);
      let cursor: string | undefined;
      let total: number | undefined;
      for (let page = 0; ; page++) {
        if (page >= (options.maxPages ?? Infinity) || (options.mayRequest && !options.mayRequest())) {
          return { ok: true, items, complete: false, ...(total === undefined ? {} : { total }) };
        }
        const query: Record<string, string> = { ...options.query, 'pagination.count': pageSize };
        if (cursor !== undefined) query['pagination.cursor'] = cursor;
        const answer = await api.get(path, query, options.signal);
        if (!answer.ok) {
          // A failure after the first page still leaves what was read: say the list is partial.
          if (page === 0) return answer;
          return { ok: true, items, complete: false, failure: answer.reason, ...(total === undefined ? {} : { total }) };
        }
        const list = answer.data[field];
        if (!Array.isArray(list)) return { ok: false, status: 200, denied: false, reason: `${host} answered GET ${path} without a "${field}" list` };
        items.push(...list);
        const pagination = isRecord(answer.data['pagination']) ? answer.data['pagination'] : {};
        if (typeof pagination['totalEntries'] === 'number') total = pagination['totalEntries'];
        const next = pagination['next'];
        if (typeof next !== 'string' || next === '') return { ok: true, items, complete: true, ...(total === undefined ? {} : { total }) };
        cursor = next;
      }
    },
  };
  return api;
}

export interface Workspace {
  id: string;
  slug: string;
  name: string;
}

export type Connection = { ok: true; api: PublicApi; workspace: Workspace } | { ok: false; reason: string; denied: boolean };

/**
 * Find the token's workspace: `GET /` on the region asked for, or with `auto` on the US host and,
 * when that refuses the token (a token lives in one region), on the EU host.
 */
export async function connect(http: HttpClient, token: string, region: Region | 'auto', signal?: AbortSignal): Promise<Connection> {
  const regions: Region[] = region === 'auto' ? ['us', 'eu'] : [region];
  const refusals: string[] = [];
  for (const r of regions) {
    const api = publicApi(http, token, r);
    const answer = await api.get('/', {}, signal);
    if (answer.ok) {
      const ws = answer.data['workspace'];
      if (!isRecord(ws)) return { ok: false, denied: false, reason: `${api.host} answered GET / without a workspace` };
      return { ok: true, api, workspace: { id: text(ws['id']), slug: text(ws['slug']), name: text(ws['name']) } };
    }
    if (!answer.denied) return { ok: false, denied: false, reason: answer.reason };
    refusals.push(answer.reason);
  }
  return { ok: false, denied: true, reason: refusals.join(' and ') };
}

export function text(value: unknown): string {
  return typeof value === 'string' ? value : '';
}
