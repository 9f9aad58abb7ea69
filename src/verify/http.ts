// The HTTP policy every liveness check goes through. A key is sent only with a GET, only over
// HTTPS, only to the documented Segment host for its kind (or where --verify-endpoint sends that
// host), never to a tracking/write path, and never after a redirect. Whatever goes wrong becomes a
// reason that names the host and status and never the secret.

import { UsageError } from '../errors.js';
import { redactAll } from '../engine/redact.js';
import type { VerifierKind } from '../types.js';

/** The credential kinds that have a liveness check. */
export type VerifiableKind = Exclude<VerifierKind, 'none' | 'auto'>;

export const SEGMENT_HOSTS = [
  'cdn.segment.com',
  'api.segmentapis.com',
  'eu1.api.segmentapis.com',
  'platform.segmentapis.com',
  'api.segment.io',
] as const;
export type SegmentHost = (typeof SEGMENT_HOSTS)[number];

/** Where each kind of secret may be sent: the documented hosts and nothing else. */
export const HOSTS_FOR_KIND: Readonly<Record<VerifiableKind, readonly SegmentHost[]>> = {
  'write-key': ['cdn.segment.com'],
  'public-api-token': ['api.segmentapis.com', 'eu1.api.segmentapis.com'],
  'config-api-token': ['platform.segmentapis.com'],
  'sg-key': ['api.segment.io'],
};

/** Paths that write events. They answer 200 to almost any key and a valid one would inject data. */
const TRACKING_PATH = /\/v1\/(?:track|batch|identify|page|group|alias|screen|import)(?:\/|$)/i;
/** Hosts that only ingest events. */
const TRACKING_HOSTS = new Set(['events.eu1.segmentapis.com']);

export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_RETRIES = 3;
/** A server asking us to wait longer than this gets "unknown" rather than a stalled scan. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 30_000;
const BACKOFF_BASE_MS = 500;
/** Settings documents are tens of kilobytes; anything far larger is not an answer we expect. */
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export type FetchLike = typeof fetch;
export type Sleep = (ms: number) => Promise<void>;

export interface HttpRequest {
  kind: VerifiableKind;
  host: SegmentHost;
  /** Path on the documented host, starting with `/`. */
  path: string;
  headers?: Record<string, string>;
  /** The secret being checked: scrubbed from every reason, whatever produced it. */
  secret: string;
  /** Always GET; present so the guard can be exercised. */
  method?: string;
}

export type HttpResult =
  | { ok: true; host: SegmentHost; status: number; body: string }
  | { ok: false; host: SegmentHost; reason: string; cancelled: boolean };

export interface HttpClient {
  get(request: HttpRequest, signal?: AbortSignal): Promise<HttpResult>;
}

export interface HttpClientOptions {
  fetch: FetchLike;
  sleep: Sleep;
  now: () => number;
  timeoutMs: number;
  retries: number;
  maxRetryWaitMs: number;
  /** Documented host -> base URL, already validated by parseEndpointOverrides. */
  endpoints: Readonly<Record<string, string>>;
}

/** Thrown by the guard; a programming or configuration mistake, never a network condition. */
export class UnsafeRequestError extends Error {}

export function defaultSleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Parse repeatable `--verify-endpoint HOST=BASE_URL` values. HOST must be a documented Segment
 * host; BASE_URL must be http(s) without credentials, query or fragment. Throws UsageError.
 */
export function parseEndpointOverrides(values: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const value of values) {
    const eq = value.indexOf('=');
    if (eq <= 0) throw new UsageError(`--verify-endpoint expects HOST=BASE_URL, got "${value}"`);
    const [host, base] = [value.slice(0, eq).trim().toLowerCase(), value.slice(eq + 1).trim()];
    Object.assign(out, validateEndpoints({ [host]: base }));
  }
  return out;
}

/** Check an endpoint map (from flags or a config file); returns it normalised. Throws UsageError. */
export function validateEndpoints(endpoints: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rawHost, base] of Object.entries(endpoints)) {
    const host = rawHost.toLowerCase();
    if (!(SEGMENT_HOSTS as readonly string[]).includes(host)) {
      throw new UsageError(`--verify-endpoint: "${rawHost}" is not a Segment host segscan checks (one of ${SEGMENT_HOSTS.join(', ')})`);
    }
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new UsageError(`--verify-endpoint ${host}: "${base}" is not a URL`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      throw new UsageError(`--verify-endpoint ${host}: only http:// and https:// base URLs are allowed`);
    }
    if (url.username || url.password || url.search || url.hash) {
      throw new UsageError(`--verify-endpoint ${host}: the base URL must not carry credentials, a query or a fragment`);
    }
    out[host] = `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
  }
  return out;
}

/**
 * The warning a run that uses endpoint overrides prints on stderr (without a "warning:" prefix;
 * the caller adds its own), or undefined when there are none.
 */
export function endpointOverrideWarning(endpoints: Readonly<Record<string, string>>): string | undefined {
  const entries = Object.entries(endpoints);
  if (entries.length === 0) return undefined;
  const list = entries.map(([host, base]) => `${host} -> ${base}`).join(', ');
  const plain = entries.some(([, base]) => base.startsWith('http://'));
  return (
    `--verify-endpoint sends verification requests, and the keys they check, somewhere other than Segment (${list})` +
    (plain ? '; plain http:// sends them unencrypted' : '')
  );
}

/** The URL a request goes to: the documented HTTPS URL, or the override's base URL + path. */
export function resolveUrl(
  host: SegmentHost,
  path: string,
  endpoints: Readonly<Record<string, string>>,
): { url: URL; viaOverride: boolean } {
  const base = endpoints[host];
  if (base === undefined) return { url: new URL(`https://${host}${path}`), viaOverride: false };
  return { url: new URL(`${base}${path}`), viaOverride: true };
}

/**
 * Defence in depth: refuse anything that is not a read-only GET to an allowed place, whatever
 * the caller intended. Messages name the rule broken, never the URL (a write key sits in it).
 */
export function assertSafeRequest(input: {
  kind: VerifiableKind;
  host: string;
  method: string;
  url: URL;
  viaOverride: boolean;
}): void {
  if (input.method.toUpperCase() !== 'GET') throw new UnsafeRequestError(`only GET is allowed, not ${input.method.toUpperCase()}`);
  if (!(HOSTS_FOR_KIND[input.kind] as readonly string[]).includes(input.host)) {
    throw new UnsafeRequestError(`a ${input.kind} is only ever sent to ${HOSTS_FOR_KIND[input.kind].join(' or ')}`);
  }
  if (input.url.protocol !== 'https:' && !(input.viaOverride && input.url.protocol === 'http:')) {
    throw new UnsafeRequestError(`${input.url.protocol} is not allowed (HTTPS only; http:// only through --verify-endpoint)`);
  }
  if (TRACKING_HOSTS.has(input.url.hostname.toLowerCase())) throw new UnsafeRequestError(`${input.url.hostname} ingests events`);
  const path = safeDecode(input.url.pathname);
  const tracking = TRACKING_PATH.exec(path) ?? TRACKING_PATH.exec(input.url.pathname);
  if (tracking) throw new UnsafeRequestError(`the tracking path ${tracking[0].replace(/\/$/, '')} writes data`);
}

function safeDecode(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export function createHttpClient(options: HttpClientOptions): HttpClient {
  return {
    async get(request, signal) {
      const fail = (reason: string, cancelled = false): HttpResult => ({
        ok: false,
        host: request.host,
        reason: redactAll(reason, [request.secret]),
        cancelled,
      });
      const { url, viaOverride } = resolveUrl(request.host, request.path, options.endpoints);
      const method = request.method ?? 'GET';
      try {
        assertSafeRequest({ kind: request.kind, host: request.host, method, url, viaOverride });
      } catch (err) {
        if (err instanceof UnsafeRequestError) return fail(`request refused by segscan's safety policy: ${err.message}`);
        throw err;
      }
      for (let attempt = 0; ; attempt++) {
        const answer = await fetchOnce(options, request, url, method, signal);
        if (!answer.ok) return fail(answer.reason, answer.cancelled);
        const { status } = answer;
        if (status >= 300 && status < 400) {
          return fail(`${request.host} answered ${status} redirect${redirectTarget(answer.location)}; redirects are not followed`);
        }
        if (status !== 429 && status < 500) return { ok: true, host: request.host, status, body: answer.body };
        const what = status === 429 ? `${status} (rate limited)` : `${status}`;
        if (attempt >= options.retries) {
          return fail(`${request.host} answered ${what}, still after ${attempt + 1} attempt${attempt === 0 ? '' : 's'}`);
        }
        const wait = retryWaitMs(answer, attempt, options.now());
        if (wait > options.maxRetryWaitMs) {
          return fail(`${request.host} answered ${what} and asked to wait ${Math.ceil(wait / 1000)} s, over the ${Math.ceil(options.maxRetryWaitMs / 1000)} s limit`);
        }
        if (!(await sleepUnlessAborted(options.sleep, wait, signal))) return fail('check cancelled', true);
      }
    },
  };
}

type Answer =
  | { ok: true; status: number; body: string; retryAfter: string | null; rateLimitReset: string | null; location: string | null }
  | { ok: false; reason: string; cancelled: boolean };

async function fetchOnce(
  options: HttpClientOptions,
  request: HttpRequest,
  url: URL,
  method: string,
  signal: AbortSignal | undefined,
): Promise<Answer> {
  if (signal?.aborted) return { ok: false, reason: 'check cancelled', cancelled: true };
  const timeout = AbortSignal.timeout(options.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await options.fetch(url, {
      method,
      headers: { accept: 'application/json', 'user-agent': 'segscan', ...request.headers },
      redirect: 'manual',
      signal: combined,
    });
    const body = await readBody(response);
    return {
      ok: true,
      status: response.status,
      body,
      retryAfter: response.headers.get('retry-after'),
      rateLimitReset: response.headers.get('x-ratelimit-reset'),
      location: response.headers.get('location'),
    };
  } catch (err) {
    if (signal?.aborted) return { ok: false, reason: 'check cancelled', cancelled: true };
    if (timeout.aborted) return { ok: false, reason: `${request.host} did not answer within ${formatMs(options.timeoutMs)}`, cancelled: false };
    return { ok: false, reason: `${request.host}: ${describeNetworkError(err)}`, cancelled: false };
  }
}

/** Read at most MAX_BODY_BYTES; a larger body is cut short, which no check will accept as valid. */
export async function readBody(response: Response): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    total += value.byteLength;
    if (total > MAX_BODY_BYTES) {
      await reader.cancel();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

function redirectTarget(location: string | null): string {
  if (!location) return '';
  try {
    return ` to ${new URL(location).host}`;
  } catch {
    return '';
  }
}

/**
 * How long to wait before retrying a 429 or 5xx: the longest of what the server asks for
 * (X-RateLimit-Reset, Retry-After, a `msBeforeNext` body field) and exponential backoff.
 */
export function retryWaitMs(
  answer: { body: string; retryAfter: string | null; rateLimitReset: string | null },
  attempt: number,
  now: number,
): number {
  const backoff = BACKOFF_BASE_MS * 2 ** attempt;
  const asked = [
    parseResetHeader(answer.rateLimitReset, now),
    parseRetryAfter(answer.retryAfter, now),
    msBeforeNextOf(answer.body),
  ].filter((v): v is number => v !== undefined);
  return asked.length === 0 ? backoff : Math.max(0, ...asked);
}

/** X-RateLimit-Reset: Segment sends a date; tolerate epoch seconds/milliseconds too. */
export function parseResetHeader(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) {
    const n = Number(trimmed);
    if (n > 1e12) return Math.max(0, n - now);
    if (n > 1e9) return Math.max(0, n * 1000 - now);
    return n * 1000;
  }
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** A `msBeforeNext` number at the top of a JSON body or one level down (e.g. under `error`). */
export function msBeforeNextOf(body: string): number | undefined {
  const json = parseJson(body);
  if (!isRecord(json)) return undefined;
  const candidates = [json, ...Object.values(json).filter(isRecord)];
  for (const c of candidates) {
    const v = c['msBeforeNext'];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  return undefined;
}

async function sleepUnlessAborted(sleep: Sleep, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (!signal) {
    await sleep(ms);
    return true;
  }
  if (signal.aborted) return false;
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<false>((resolve) => {
    onAbort = () => resolve(false);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([sleep(ms).then(() => true as const), aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

const NETWORK_CODES: ReadonlyArray<[RegExp, string]> = [
  [/^ECONNREFUSED$/, 'connection refused'],
  [/^(ECONNRESET|EPIPE|UND_ERR_SOCKET|UND_ERR_CLOSED)$/, 'connection closed before a complete answer'],
  [/^(ENOTFOUND|EAI_AGAIN|EAI_FAIL)$/, 'DNS lookup failed'],
  [/^(ETIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|UND_ERR_BODY_TIMEOUT)$/, 'connection timed out'],
  [/^(EHOSTUNREACH|ENETUNREACH)$/, 'host unreachable'],
  [/CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_VERIFY|HOSTNAME_MISMATCH/, 'TLS failure'],
];

/** A reason built from error codes only: error messages can quote URLs, and URLs can hold keys. */
export function describeNetworkError(err: unknown): string {
  const codes: string[] = [];
  let proxyStatus: string | undefined;
  let notHttp = false;
  for (let e: unknown = err, depth = 0; isRecord(e) && depth < 6; e = e['cause'], depth++) {
    if (typeof e['code'] === 'string') codes.push(e['code']);
    const message = typeof e['message'] === 'string' ? e['message'] : '';
    proxyStatus ??= /Proxy response \((\d{3})\)/.exec(message)?.[1];
    // Node 20 reports an HPE_ parser code; Node 24 only the parser's message.
    notHttp ||= /does not match the HTTP\/1\.1 protocol/.test(message) || (typeof e['code'] === 'string' && e['code'].startsWith('HPE_'));
  }
  if (proxyStatus) return `the proxy refused the tunnel (${proxyStatus})`;
  if (notHttp) {
    const parserCode = codes.find((c) => c.startsWith('HPE_'));
    return `the answer was not valid HTTP${parserCode ? ` (${parserCode})` : ''}`;
  }
  for (const code of codes) {
    for (const [pattern, text] of NETWORK_CODES) if (pattern.test(code)) return `${text} (${code})`;
  }
  const code = codes.find((c) => /^[A-Z0-9_]+$/.test(c));
  return code ? `request failed (${code})` : 'request failed';
}

function formatMs(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
