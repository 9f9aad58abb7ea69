// Retries on 429 and 5xx: the waits follow X-RateLimit-Reset and msBeforeNext, are capped, and
// the number of attempts is bounded. Sleep and clock are injected, so waits are recorded, not timed.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { createVerificationService, type VerificationService } from '../../src/verify/verifier.js';
import { startFakeSegment, type FakeSegment } from './fakeSegment.js';

// A whole second, so an HTTP date (second resolution) round-trips exactly.
const NOW = Date.UTC(2030, 0, 1, 12, 0, 0);
let fake: FakeSegment;
let waits: number[];
let service: VerificationService;

beforeAll(async () => {
  fake = await startFakeSegment();
});

beforeEach(() => {
  waits = [];
  service = createVerificationService(
    { endpoints: fake.endpoints, timeoutMs: 5000 },
    { env: {}, now: () => NOW, sleep: async (ms) => void waits.push(ms) },
  );
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  await fake.close();
});

describe('retries', () => {
  it('waits until X-RateLimit-Reset after a 429, then succeeds', async () => {
    const { writeKey } = fakeCredentials('retry-reset');
    fake.liveWriteKeys.add(writeKey);
    fake.script(writeKey, { type: 'rate-limit-reset', resetAt: new Date(NOW + 7000), times: 1 });
    expect((await service.verify('write-key', writeKey)).status).toBe('live');
    expect(waits).toEqual([7000]);
    expect(fake.requestsFor(writeKey)).toBe(2);
  });

  it('waits msBeforeNext from a 429 body, then succeeds', async () => {
    const { publicApiToken } = fakeCredentials('retry-body');
    fake.usTokens.add(publicApiToken);
    fake.script(publicApiToken, { type: 'rate-limit-body', msBeforeNext: 1234, times: 2 });
    expect((await service.verify('public-api-token', publicApiToken)).status).toBe('live');
    expect(waits).toEqual([1234, 1234]);
    expect(fake.requestsFor(publicApiToken)).toBe(3);
  });

  it('backs off exponentially after a 500, then succeeds', async () => {
    const { sgKey } = fakeCredentials('retry-500-once');
    fake.sgKeys.add(sgKey);
    fake.script(sgKey, { type: 'server-error', times: 2 });
    expect((await service.verify('sg-key', sgKey)).status).toBe('live');
    expect(waits).toEqual([500, 1000]);
  });

  it('gives up as unknown after a bounded number of attempts on a persistent 500', async () => {
    const { writeKey } = fakeCredentials('retry-500-always');
    fake.script(writeKey, { type: 'server-error', times: 'always' });
    expect(await service.verify('write-key', writeKey)).toEqual({
      status: 'unknown',
      reason: 'cdn.segment.com answered 500, still after 4 attempts',
    });
    expect(waits).toEqual([500, 1000, 2000]);
    expect(fake.requestsFor(writeKey)).toBe(4);
  });

  it('honours a custom retry count', async () => {
    const { configApiToken } = fakeCredentials('retry-custom');
    fake.script(configApiToken, { type: 'server-error', times: 'always' });
    const once = createVerificationService({ endpoints: fake.endpoints, retries: 0 }, { env: {}, sleep: async (ms) => void waits.push(ms) });
    expect(await once.verify('config-api-token', configApiToken)).toEqual({
      status: 'unknown',
      reason: 'platform.segmentapis.com answered 500, still after 1 attempt',
    });
    expect(waits).toEqual([]);
    expect(fake.requestsFor(configApiToken)).toBe(1);
  });

  it('does not wait longer than the cap: a long rate limit is unknown at once', async () => {
    const { writeKey } = fakeCredentials('retry-cap');
    fake.liveWriteKeys.add(writeKey);
    fake.script(writeKey, { type: 'rate-limit-body', msBeforeNext: 10 * 60_000, times: 1 });
    expect(await service.verify('write-key', writeKey)).toEqual({
      status: 'unknown',
      reason: 'cdn.segment.com answered 429 (rate limited) and asked to wait 600 s, over the 30 s limit',
    });
    expect(waits).toEqual([]);
  });

  it('reports a 429 that never clears as unknown', async () => {
    const { sgKey } = fakeCredentials('retry-429-always');
    fake.script(sgKey, { type: 'rate-limit-reset', resetAt: new Date(NOW + 1000), times: 99 });
    expect(await service.verify('sg-key', sgKey)).toEqual({
      status: 'unknown',
      reason: 'api.segment.io answered 429 (rate limited), still after 4 attempts',
    });
    expect(waits).toEqual([1000, 1000, 1000]);
  });

  it('stops waiting when the caller cancels', async () => {
    const { writeKey } = fakeCredentials('retry-cancel');
    fake.script(writeKey, { type: 'server-error', times: 'always' });
    const controller = new AbortController();
    const cancelling = createVerificationService(
      { endpoints: fake.endpoints },
      { env: {}, sleep: () => { controller.abort(); return new Promise(() => {}); } },
    );
    expect(await cancelling.verify('write-key', writeKey, controller.signal)).toEqual({ status: 'unknown', reason: 'check cancelled' });
    expect(fake.requestsFor(writeKey)).toBe(1);
  });
});
