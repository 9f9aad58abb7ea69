// The verification service: one verifier per credential kind behind the HTTP policy, a cache so
// each distinct secret is checked once per run, and a limit on checks in flight.

import { createHash } from 'node:crypto';
import { UsageError } from '../errors.js';
import type { Finding, Verification, VerifierKind } from '../types.js';
import {
  DEFAULT_MAX_RETRY_WAIT_MS,
  DEFAULT_RETRIES,
  DEFAULT_TIMEOUT_MS,
  createHttpClient,
  defaultSleep,
  validateEndpoints,
  type FetchLike,
  type HttpClient,
  type Sleep,
  type VerifiableKind,
} from './http.js';
import { createProxyFetch, proxySettingsFrom, type ProxyFetch } from './proxy.js';
import { createLimiter } from './limiter.js';
import { detectCredentialKind, hasShapeOf } from '../engine/credentialShape.js';
import { verifyWriteKey } from './writeKey.js';
import { verifyPublicApiToken } from './publicApiToken.js';
import { verifyConfigApiToken } from './configApiToken.js';
import { verifySgKey } from './sgKey.js';
import { unknown } from './verdict.js';
import { walkTokenReach } from '../blastRadius/tokenReach.js';

export { detectCredentialKind } from '../engine/credentialShape.js';
export type { VerifiableKind } from './http.js';

export const DEFAULT_CONCURRENCY = 4;

export interface VerificationServiceOptions {
  /** Checks in flight at once (--verify-concurrency). */
  concurrency?: number | undefined;
  /** Per-request timeout in milliseconds (--verify-timeout). */
  timeoutMs?: number | undefined;
  /** Documented host -> base URL (--verify-endpoint). */
  endpoints?: Readonly<Record<string, string>> | undefined;
  /** Retries after a 429 or 5xx (default 3). */
  retries?: number | undefined;
  /** Longest wait a server may ask for before a retry (default 30 s). */
  maxRetryWaitMs?: number | undefined;
  /** Walk what each live Public API token can reach (read-only, bounded; --verify in scans). */
  blastRadius?: boolean | undefined;
}

export interface VerificationDeps {
  fetch?: FetchLike | undefined;
  sleep?: Sleep | undefined;
  /** For HTTPS_PROXY/HTTP_PROXY/NO_PROXY; defaults to process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** Clock for X-RateLimit-Reset dates. */
  now?: (() => number) | undefined;
}

export interface VerificationService {
  verify(kind: VerifiableKind, secret: string, signal?: AbortSignal): Promise<Verification>;
  /** Release the proxy connection pool, if one was opened. */
  close(): Promise<void>;
}

const VERIFIERS: Readonly<Record<VerifiableKind, (secret: string, http: HttpClient, signal?: AbortSignal) => Promise<Verification>>> = {
  'write-key': verifyWriteKey,
  'public-api-token': verifyPublicApiToken,
  'config-api-token': verifyConfigApiToken,
  'sg-key': verifySgKey,
};

/** The cache key: a hash, so the cache never holds a secret. */
export function verificationCacheKey(kind: VerifiableKind, secret: string): string {
  return createHash('sha256').update(`${kind}\0${secret}`).digest('hex');
}

/** The HTTP client every command that talks to Segment reads through (GET only), with proxy support. */
export interface SegmentHttp {
  http: HttpClient;
  /** The fetch beneath it (proxy-aware), for the write-key rotation calls, which have their own policy. */
  fetch: FetchLike;
  /** The validated --verify-endpoint map. */
  endpoints: Readonly<Record<string, string>>;
  /** Release the proxy connection pool, if one was opened. */
  close(): Promise<void>;
}

export interface SegmentHttpOptions {
  timeoutMs?: number | undefined;
  endpoints?: Readonly<Record<string, string>> | undefined;
  retries?: number | undefined;
  maxRetryWaitMs?: number | undefined;
}

export function createSegmentHttp(options: SegmentHttpOptions = {}, deps: VerificationDeps = {}): SegmentHttp {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new UsageError('--verify-timeout must be a positive number of seconds');
  const retries = nonNegativeInteger(options.retries ?? DEFAULT_RETRIES, 'verification retries');
  const endpoints = validateEndpoints(options.endpoints ?? {});
  const fetcher = segmentFetch(deps);
  const http = createHttpClient({
    fetch: fetcher.fetch,
    sleep: deps.sleep ?? defaultSleep,
    now: deps.now ?? Date.now,
    timeoutMs: Math.ceil(timeoutMs),
    retries,
    maxRetryWaitMs: options.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS,
    endpoints,
  });
  return { http, fetch: fetcher.fetch, endpoints, close: fetcher.close };
}

/**
 * The fetch to use: the injected one (tests), else the global one, through HTTPS_PROXY when the
 * environment names a proxy (its connection pool opened on first use).
 */
export function segmentFetch(deps: VerificationDeps): { fetch: FetchLike; close(): Promise<void> } {
  if (deps.fetch) return { fetch: deps.fetch, close: async () => undefined };
  const proxySettings = proxySettingsFrom(deps.env ?? process.env);
  if (!proxySettings) return { fetch: (input, init) => globalThis.fetch(input, init), close: async () => undefined };
  let proxy: Promise<ProxyFetch> | undefined;
  return {
    fetch: async (input, init) => (await (proxy ??= createProxyFetch(proxySettings))).fetch(input, init),
    async close() {
      if (proxy) await (await proxy).close();
    },
  };
}

export function createVerificationService(
  options: VerificationServiceOptions = {},
  deps: VerificationDeps = {},
): VerificationService {
  const concurrency = positiveInteger(options.concurrency ?? DEFAULT_CONCURRENCY, '--verify-concurrency');
  const { http, close } = createSegmentHttp(options, deps);
  const limit = createLimiter(concurrency);
  const cache = new Map<string, Promise<Verification>>();
  const check = async (kind: VerifiableKind, secret: string, signal?: AbortSignal): Promise<Verification> => {
    const verification = await VERIFIERS[kind](secret, http, signal);
    if (kind !== 'public-api-token' || verification.status !== 'live' || !options.blastRadius) return verification;
    return { ...verification, blastRadius: await walkTokenReach(secret, verification, http, signal) };
  };

  return {
    verify(kind, secret, signal) {
      // A value goes only to the check for its own shape: a rule (a repository's, say) that says
      // `verify: public-api-token` over a CI job's git token must not send that token to Segment.
      if (!hasShapeOf(kind, secret)) return Promise.resolve(unknown(`the value does not have the shape of a ${kind}, so it was not sent to Segment`));
      const key = verificationCacheKey(kind, secret);
      const cached = cache.get(key);
      if (cached) return cached;
      const pending = limit(() => check(kind, secret, signal)).catch(
        (): Verification => unknown(`the ${kind} check failed unexpectedly`),
      );
      cache.set(key, pending);
      // A cancelled check says nothing about the key; let a later caller try again.
      void pending.then(() => {
        if (signal?.aborted && cache.get(key) === pending) cache.delete(key);
      });
      return pending;
    },
    close,
  };
}

/**
 * Set `finding.verification` on every finding whose rule has a verifier, all through the
 * service's limiter. `auto` picks the verifier from the secret's shape; `none` leaves the finding
 * unverified.
 */
export async function verifyFindings(
  findings: Finding[],
  verifyKindOf: (finding: Finding) => VerifierKind,
  service: VerificationService,
  signal?: AbortSignal,
): Promise<void> {
  await Promise.all(
    findings.map(async (finding) => {
      const kind = resolveVerifierKind(verifyKindOf(finding), finding.secret);
      if (kind === 'none') return;
      finding.verification =
        kind === undefined
          ? unknown('no liveness check fits this value: its shape is not a known Segment credential')
          : await service.verify(kind, finding.secret, signal);
    }),
  );
}

/** The verifier to run: `none` for rules without one, undefined when `auto` cannot tell. */
export function resolveVerifierKind(kind: VerifierKind, secret: string): VerifiableKind | 'none' | undefined {
  if (kind !== 'auto') return kind;
  const detected = detectCredentialKind(secret);
  return detected === 'generic' ? undefined : detected;
}

/** --verify-timeout: seconds ("10", "2.5") or with a unit ("500ms", "10s"); returns milliseconds. */
export function parseVerifyTimeout(value: string | number): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s)?\s*$/.exec(String(value));
  const ms = match ? Number(match[1]) * (match[2] === 'ms' ? 1 : 1000) : NaN;
  if (!Number.isFinite(ms) || ms < 1) throw new UsageError(`--verify-timeout expects seconds (e.g. 10, 2.5s or 500ms), got "${String(value)}"`);
  return Math.round(ms);
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new UsageError(`${name} must be a positive whole number, got ${value}`);
  return value;
}

function nonNegativeInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${name} must be a whole number of 0 or more, got ${value}`);
  return value;
}
