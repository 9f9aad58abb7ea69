// Each distinct secret is checked once per run, and no more than --verify-concurrency checks are
// in flight at once (measured by the fake server).

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { createVerificationService, verificationCacheKey } from '../../src/verify/verifier.js';
import { startFakeSegment, type FakeSegment } from './fakeSegment.js';

let fake: FakeSegment;

beforeAll(async () => {
  fake = await startFakeSegment();
});

beforeEach(() => {
  fake.maxInFlight = 0;
  fake.delayMs = 0;
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  await fake.close();
});

const serviceWith = (concurrency = 4) =>
  createVerificationService({ endpoints: fake.endpoints, concurrency }, { env: {}, sleep: async () => {} });

describe('cache', () => {
  it('checks a secret once even when asked 100 times at once and 100 times after', async () => {
    const { writeKey } = fakeCredentials('cache-100');
    fake.liveWriteKeys.add(writeKey);
    fake.delayMs = 20;
    const service = serviceWith();
    const concurrent = await Promise.all(Array.from({ length: 100 }, () => service.verify('write-key', writeKey)));
    for (let i = 0; i < 100; i++) expect((await service.verify('write-key', writeKey)).status).toBe('live');
    expect(new Set(concurrent.map((v) => v.status))).toEqual(new Set(['live']));
    expect(fake.requestsFor(writeKey)).toBe(1);
  });

  it('checks each secret once, and sends a value to no check whose shape it lacks', async () => {
    const { sgKey } = fakeCredentials('cache-kinds');
    const service = serviceWith();
    await service.verify('sg-key', sgKey);
    await service.verify('sg-key', sgKey);
    const asWriteKey = await service.verify('write-key', sgKey);
    expect(asWriteKey).toEqual({ status: 'unknown', reason: 'the value does not have the shape of a write-key, so it was not sent to Segment' });
    expect(fake.requests.filter((r) => r.secret === sgKey).map((r) => r.host)).toEqual(['api.segment.io']);
  });

  it('is a separate cache per service (per run)', async () => {
    const { configApiToken } = fakeCredentials('cache-runs');
    await serviceWith().verify('config-api-token', configApiToken);
    await serviceWith().verify('config-api-token', configApiToken);
    expect(fake.requestsFor(configApiToken)).toBe(2);
  });

  it('keys the cache by a SHA-256 of kind and secret, never the secret', () => {
    const { publicApiToken } = fakeCredentials('cache-key');
    const key = verificationCacheKey('public-api-token', publicApiToken);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(key).not.toBe(verificationCacheKey('sg-key', publicApiToken));
  });

  it('does not keep a cancelled check', async () => {
    const { writeKey } = fakeCredentials('cache-cancel');
    fake.liveWriteKeys.add(writeKey);
    const service = serviceWith();
    const controller = new AbortController();
    controller.abort();
    expect(await service.verify('write-key', writeKey, controller.signal)).toEqual({ status: 'unknown', reason: 'check cancelled' });
    expect((await service.verify('write-key', writeKey)).status).toBe('live');
    expect(fake.requestsFor(writeKey)).toBe(1);
  });
});

describe('concurrency limit', () => {
  it.each([1, 3, 6])('never has more than %i checks in flight', async (limit) => {
    const keys = Array.from({ length: 15 }, (_, i) => fakeCredentials(`conc-${limit}-${i}`).writeKey);
    for (const k of keys) fake.liveWriteKeys.add(k);
    fake.delayMs = 25;
    const service = serviceWith(limit);
    const results = await Promise.all(keys.map((k) => service.verify('write-key', k)));
    expect(results.every((v) => v.status === 'live')).toBe(true);
    expect(fake.maxInFlight).toBe(limit);
  });

  it('counts a two-region token check as one slot', async () => {
    const tokens = Array.from({ length: 6 }, (_, i) => fakeCredentials(`conc-eu-${i}`).publicApiToken);
    for (const t of tokens) fake.euTokens.add(t);
    fake.delayMs = 25;
    const service = serviceWith(2);
    const results = await Promise.all(tokens.map((t) => service.verify('public-api-token', t)));
    expect(results.map((v) => v.details?.['region'])).toEqual(tokens.map(() => 'EU'));
    expect(fake.maxInFlight).toBe(2);
  });

  it('rejects a concurrency below 1 and a non-positive timeout', () => {
    expect(() => createVerificationService({ concurrency: 0 })).toThrow(/--verify-concurrency must be a positive whole number/);
    expect(() => createVerificationService({ timeoutMs: -5 })).toThrow(/--verify-timeout/);
  });
});
