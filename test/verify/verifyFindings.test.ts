// verifyFindings annotates findings by their rule's verifier; detectCredentialKind decides `auto`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import type { Finding, VerifierKind } from '../../src/types.js';
import { createVerificationService, detectCredentialKind, parseVerifyTimeout, verifyFindings } from '../../src/verify/verifier.js';
import { startFakeSegment, type FakeSegment } from './fakeSegment.js';

let fake: FakeSegment;
const live = fakeCredentials('findings-live');
const dead = fakeCredentials('findings-dead');

beforeAll(async () => {
  fake = await startFakeSegment();
  fake.liveWriteKeys.add(live.writeKey);
  fake.sgKeys.add(live.sgKey);
  fake.usTokens.add(live.publicApiToken);
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  await fake.close();
});

function finding(ruleId: string, secret: string): Finding {
  return {
    ruleId,
    path: 'app/.env',
    start: { line: 1, column: 1 },
    end: { line: 1, column: 1 + secret.length },
    secret,
    secretHash: 'h',
    confidence: 'high',
    signals: [],
    fingerprint: `${ruleId}:${secret.length}`,
  };
}

describe('detectCredentialKind', () => {
  const c = fakeCredentials('shapes');
  it.each([
    [c.publicApiToken, 'public-api-token'],
    [c.sgKey, 'sg-key'],
    [c.configApiToken, 'config-api-token'],
    [c.writeKey, 'write-key'],
    [c.legacyWriteKey, 'write-key'],
  ])('recognises %s', (secret, kind) => {
    expect(detectCredentialKind(secret)).toBe(kind);
  });

  it.each([
    ['a Sourcegraph token', `sgp_${'a1'.repeat(20)}`],
    ['a SendGrid key', `SG.${'x'.repeat(22)}.${'y'.repeat(43)}`],
    ['a 31-character value', 'A1b'.repeat(10) + 'c'],
    ['an upper-case 10-character value', 'ABCDEFGH12'],
    ['a short sg_ value', 'sg_abc123'],
  ])('does not claim %s', (_what, secret) => {
    expect(detectCredentialKind(secret)).toBeUndefined();
  });
});

describe('verifyFindings', () => {
  it('sets verification per finding, leaves `none` rules alone and explains an unrecognised shape', async () => {
    const findings = [
      finding('write-key', live.writeKey),
      finding('write-key', dead.writeKey),
      finding('sg-key', live.sgKey),
      finding('generic', live.publicApiToken),
      finding('generic', 'not-a-segment-shape'),
      finding('browser-snippet', live.writeKey),
    ];
    const kinds: Record<string, VerifierKind> = { 'write-key': 'write-key', 'sg-key': 'sg-key', generic: 'auto', 'browser-snippet': 'none' };
    const service = createVerificationService({ endpoints: fake.endpoints }, { env: {}, sleep: async () => {} });
    await verifyFindings(findings, (f) => kinds[f.ruleId] ?? 'none', service);
    expect(findings.map((f) => f.verification?.status)).toEqual(['live', 'invalid', 'live', 'live', 'unknown', undefined]);
    expect(findings[4]?.verification?.reason).toBe('no liveness check fits this value: its shape is not a known Segment credential');
    expect(findings[3]?.verification?.details?.['workspaceSlug']).toBe('acme-us');
  });

  it('checks duplicates once and runs through the limiter', async () => {
    const keys = Array.from({ length: 8 }, (_, i) => fakeCredentials(`findings-many-${i}`).writeKey);
    for (const k of keys) fake.liveWriteKeys.add(k);
    const findings = [...keys, ...keys, ...keys].map((k) => finding('write-key', k));
    fake.delayMs = 25;
    fake.maxInFlight = 0;
    const service = createVerificationService({ endpoints: fake.endpoints, concurrency: 2 }, { env: {}, sleep: async () => {} });
    await verifyFindings(findings, () => 'write-key', service);
    fake.delayMs = 0;
    expect(findings.every((f) => f.verification?.status === 'live')).toBe(true);
    expect(keys.map((k) => fake.requestsFor(k))).toEqual(keys.map(() => 1));
    expect(fake.maxInFlight).toBe(2);
  });
});

describe('parseVerifyTimeout', () => {
  it.each([
    ['10', 10_000],
    ['2.5', 2500],
    ['3s', 3000],
    ['500ms', 500],
    [7, 7000],
  ] as const)('reads %s', (value, ms) => {
    expect(parseVerifyTimeout(value)).toBe(ms);
  });

  it.each(['0', '-1', 'ten', '5m', ''])('rejects %s', (value) => {
    expect(() => parseVerifyTimeout(value)).toThrow(/--verify-timeout expects seconds/);
  });
});
