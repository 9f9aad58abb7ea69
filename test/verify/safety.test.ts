// The HTTP policy: where keys may go, what is refused, and that failures become "unknown" with a
// reason that never holds the secret.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import {
  assertSafeRequest,
  endpointOverrideWarning,
  parseEndpointOverrides,
  UnsafeRequestError,
  type VerifiableKind,
} from '../../src/verify/http.js';
import { createVerificationService } from '../../src/verify/verifier.js';
import { closedPort, leakedSecrets, startFakeSegment, type FakeSegment } from './fakeSegment.js';

let fake: FakeSegment;
const creds = fakeCredentials('safety');
const secrets = Object.values(creds);
const reasons: string[] = [];

beforeAll(async () => {
  fake = await startFakeSegment();
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  expect(leakedSecrets(reasons.join('\n'), secrets)).toEqual([]);
  await fake.close();
});

function serviceWith(endpoints: Record<string, string>, timeoutMs = 5000) {
  return createVerificationService({ endpoints, timeoutMs }, { env: {}, sleep: async () => {} });
}

interface Call {
  url: string;
  method: string | undefined;
  redirect: string | undefined;
  headers: Record<string, string>;
  hasSignal: boolean;
}

function recordingFetch(calls: Call[], respond: () => Response = () => new Response('{}', { status: 418 })): typeof fetch {
  return async (input, init) => {
    calls.push({
      url: String(input),
      method: init?.method,
      redirect: init?.redirect,
      headers: { ...(init?.headers as Record<string, string>) },
      hasSignal: init?.signal instanceof AbortSignal,
    });
    return respond();
  };
}

describe('where keys are sent', () => {
  it('sends each kind only to its documented HTTPS URL, with GET and redirects off', async () => {
    const calls: Call[] = [];
    const service = createVerificationService({}, { env: {}, fetch: recordingFetch(calls), sleep: async () => {} });
    await service.verify('write-key', creds.writeKey);
    await service.verify('public-api-token', creds.publicApiToken);
    await service.verify('config-api-token', creds.configApiToken);
    await service.verify('sg-key', creds.sgKey);
    expect(calls.map((c) => c.url)).toEqual([
      `https://cdn.segment.com/v1/projects/${creds.writeKey}/settings`,
      'https://api.segmentapis.com/',
      'https://eu1.api.segmentapis.com/',
      'https://platform.segmentapis.com/v1beta/workspaces',
      'https://api.segment.io/v1/projects',
    ]);
    for (const call of calls) {
      expect(call).toMatchObject({ method: 'GET', redirect: 'manual', hasSignal: true });
    }
    expect(calls[0]?.headers['authorization']).toBeUndefined();
    expect(calls.slice(1).map((c) => c.headers['authorization'])).toEqual([
      `Bearer ${creds.publicApiToken}`,
      `Bearer ${creds.publicApiToken}`,
      `Bearer ${creds.configApiToken}`,
      `Bearer ${creds.sgKey}`,
    ]);
  });

  it('keeps path, headers and method when an override redirects a host', async () => {
    const calls: Call[] = [];
    const service = createVerificationService(
      { endpoints: { 'api.segmentapis.com': 'https://mirror.example/segment/' } },
      { env: {}, fetch: recordingFetch(calls), sleep: async () => {} },
    );
    await service.verify('public-api-token', creds.publicApiToken);
    expect(calls.map((c) => [c.url, c.method, c.headers['authorization']])).toEqual([
      ['https://mirror.example/segment/', 'GET', `Bearer ${creds.publicApiToken}`],
      ['https://eu1.api.segmentapis.com/', 'GET', `Bearer ${creds.publicApiToken}`],
    ]);
  });
});

describe('the guard', () => {
  const base = { kind: 'sg-key' as VerifiableKind, host: 'api.segment.io', method: 'GET', viaOverride: false };

  it('allows the documented GET', () => {
    expect(() => assertSafeRequest({ ...base, url: new URL('https://api.segment.io/v1/projects') })).not.toThrow();
  });

  it.each(['track', 'batch', 'identify', 'page', 'group', 'alias', 'screen', 'import'])('refuses /v1/%s on any host', (path) => {
    for (const host of ['api.segment.io', 'cdn.segment.com', 'mirror.example']) {
      expect(() => assertSafeRequest({ ...base, url: new URL(`https://${host}/v1/${path}`), viaOverride: true })).toThrow(UnsafeRequestError);
      expect(() => assertSafeRequest({ ...base, url: new URL(`https://${host}/prefix/V1/${path.toUpperCase()}/x`), viaOverride: true })).toThrow(
        UnsafeRequestError,
      );
    }
  });

  it('refuses the events host', () => {
    expect(() => assertSafeRequest({ ...base, url: new URL('https://events.eu1.segmentapis.com/v1/projects'), viaOverride: true })).toThrow(
      /ingests events/,
    );
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH'])('refuses %s', (method) => {
    expect(() => assertSafeRequest({ ...base, method, url: new URL('https://api.segment.io/v1/projects') })).toThrow(/only GET/);
  });

  it('refuses plain http without an override, and allows it through one', () => {
    expect(() => assertSafeRequest({ ...base, url: new URL('http://api.segment.io/v1/projects') })).toThrow(/HTTPS only/);
    expect(() => assertSafeRequest({ ...base, url: new URL('http://127.0.0.1:9/v1/projects'), viaOverride: true })).not.toThrow();
  });

  it('refuses to send a kind of secret to another kind\'s host', () => {
    expect(() => assertSafeRequest({ ...base, kind: 'write-key', url: new URL('https://api.segment.io/v1/projects') })).toThrow(
      /a write-key is only ever sent to cdn.segment.com/,
    );
  });

  it('refuses a tracking path reached through an override, before any request', async () => {
    const service = serviceWith({ 'cdn.segment.com': `http://127.0.0.1:${fake.port}/v1/track` });
    const before = fake.requests.length;
    const v = await service.verify('write-key', creds.writeKey);
    reasons.push(v.reason);
    expect(v).toEqual({
      status: 'unknown',
      reason: "request refused by segscan's safety policy: the tracking path /v1/track writes data",
    });
    expect(fake.requests.length).toBe(before);
  });
});

describe('failures are unknown, never invalid', () => {
  it('does not follow a redirect to another host', async () => {
    fake.script(creds.writeKey, { type: 'redirect' });
    const v = await serviceWith(fake.endpoints).verify('write-key', creds.writeKey);
    reasons.push(v.reason);
    expect(v).toEqual({
      status: 'unknown',
      reason: `cdn.segment.com answered 302 redirect to 127.0.0.1:${fake.port}; redirects are not followed`,
    });
    expect(fake.elsewhereHits).toBe(0);
  });

  it('gives up on a slow answer at the timeout', async () => {
    fake.script(creds.sgKey, { type: 'slow' });
    const v = await serviceWith(fake.endpoints, 300).verify('sg-key', creds.sgKey);
    reasons.push(v.reason);
    expect(v).toEqual({ status: 'unknown', reason: 'api.segment.io did not answer within 300 ms' });
  }, 5000);

  it('reports a refused connection', async () => {
    const port = await closedPort();
    const v = await serviceWith({ 'platform.segmentapis.com': `http://127.0.0.1:${port}` }).verify('config-api-token', creds.configApiToken);
    reasons.push(v.reason);
    expect(v).toEqual({ status: 'unknown', reason: 'platform.segmentapis.com: connection refused (ECONNREFUSED)' });
  });

  it('reports a connection reset mid-answer', async () => {
    const key = fakeCredentials('safety-reset').writeKey;
    fake.liveWriteKeys.add(key);
    fake.script(key, { type: 'reset' });
    const v = await serviceWith(fake.endpoints).verify('write-key', key);
    reasons.push(v.reason);
    expect(v.status).toBe('unknown');
    expect(v.reason).toMatch(/^cdn\.segment\.com: connection closed before a complete answer \(/);
    expect(leakedSecrets(v.reason, [key])).toEqual([]);
  });

  it('scrubs the secret from whatever a failing fetch says', async () => {
    const throwing: typeof fetch = async (input) => {
      throw Object.assign(new Error(`request to ${String(input)} failed`), { code: `E_${creds.writeKey}` });
    };
    const service = createVerificationService({}, { env: {}, fetch: throwing });
    const v = await service.verify('write-key', creds.writeKey);
    reasons.push(v.reason);
    expect(v.status).toBe('unknown');
    expect(v.reason.startsWith('cdn.segment.com: request failed')).toBe(true);
    expect(leakedSecrets(v.reason, [creds.writeKey])).toEqual([]);
  });

  it('turns a malformed response into unknown', async () => {
    const broken = (async () => ({ status: 200, headers: new Headers(), body: null, text: null })) as unknown as typeof fetch;
    const v = await createVerificationService({}, { env: {}, fetch: broken }).verify('sg-key', creds.sgKey);
    expect(v).toEqual({ status: 'unknown', reason: 'api.segment.io answered 200 but the body is not a project list' });
    const crashing = (async () => ({ status: 200, headers: null })) as unknown as typeof fetch;
    const w = await createVerificationService({}, { env: {}, fetch: crashing }).verify('sg-key', creds.sgKey);
    expect(w).toEqual({ status: 'unknown', reason: 'api.segment.io: request failed' });
  });
});

describe('--verify-endpoint', () => {
  it('parses HOST=BASE_URL and normalises the base', () => {
    expect(parseEndpointOverrides(['CDN.segment.com=http://127.0.0.1:8080/cdn/', 'api.segment.io=https://mirror.example'])).toEqual({
      'cdn.segment.com': 'http://127.0.0.1:8080/cdn',
      'api.segment.io': 'https://mirror.example',
    });
  });

  it.each([
    ['nohost', /expects HOST=BASE_URL/],
    ['evil.example=https://x.example', /not a Segment host/],
    ['cdn.segment.com=not a url', /is not a URL/],
    ['cdn.segment.com=ftp://x.example', /only http:\/\/ and https:\/\//],
    ['cdn.segment.com=https://user:pw@x.example', /must not carry credentials/],
  ])('rejects %s with a usage error', (value, message) => {
    expect(() => parseEndpointOverrides([value])).toThrow(UsageError);
    expect(() => parseEndpointOverrides([value])).toThrow(message);
  });

  it('rejects a bad map given straight to the service', () => {
    expect(() => createVerificationService({ endpoints: { 'evil.example': 'https://x' } })).toThrow(UsageError);
  });

  it('explains the override in one warning line, noting plain http', () => {
    expect(endpointOverrideWarning({})).toBeUndefined();
    expect(endpointOverrideWarning({ 'cdn.segment.com': 'https://mirror.example' })).toBe(
      '--verify-endpoint sends verification requests, and the keys they check, somewhere other than Segment (cdn.segment.com -> https://mirror.example)',
    );
    expect(endpointOverrideWarning({ 'cdn.segment.com': 'http://127.0.0.1:1' })).toMatch(/; plain http:\/\/ sends them unencrypted$/);
  });
});

describe('the fake tracking endpoint', () => {
  it('counts calls, so the zero-call assertions can fail', async () => {
    const other = await startFakeSegment();
    try {
      const res = await fetch(`http://127.0.0.1:${other.port}/segmentio/v1/track`, { method: 'POST', body: '{}' });
      expect(await res.json()).toEqual({ success: true });
      expect(other.trackingCalls).toBe(1);
    } finally {
      await other.close();
    }
  });
});
