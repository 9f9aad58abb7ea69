// Each credential kind checked against the fake Segment: live, invalid and unknown, with the
// reasons and non-secret details users see.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { createVerificationService, type VerificationService } from '../../src/verify/verifier.js';
import { leakedSecrets, startFakeSegment, type FakeSegment } from './fakeSegment.js';

let fake: FakeSegment;
let service: VerificationService;
const live = fakeCredentials('kinds-live');
const dead = fakeCredentials('kinds-dead');
const odd = fakeCredentials('kinds-odd');
const eu = fakeCredentials('kinds-eu');
const allSecrets = [live, dead, odd, eu].flatMap((c) => Object.values(c));
const reasons: string[] = [];

beforeAll(async () => {
  fake = await startFakeSegment();
  fake.liveWriteKeys.add(live.writeKey).add(live.legacyWriteKey);
  fake.usTokens.add(live.publicApiToken);
  fake.euTokens.add(eu.publicApiToken);
  fake.forbiddenTokens.add(odd.publicApiToken);
  fake.configTokens.add(live.configApiToken);
  fake.limitedConfigTokens.add(odd.configApiToken);
  fake.sgKeys.add(live.sgKey);
  service = createVerificationService({ endpoints: fake.endpoints, timeoutMs: 5000 }, { env: {}, sleep: async () => {} });
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  expect(leakedSecrets(reasons.join('\n'), allSecrets)).toEqual([]);
  await service.close();
  await fake.close();
});

async function check(...args: Parameters<VerificationService['verify']>) {
  const v = await service.verify(...args);
  reasons.push(JSON.stringify(v));
  return v;
}

describe('write key', () => {
  it('is live when the CDN returns its settings', async () => {
    expect(await check('write-key', live.writeKey)).toEqual({
      status: 'live',
      reason: "cdn.segment.com answered 200 with the source's settings",
      details: { settings: 'found', destinations: '1' },
      // The settings' integrations are where the key's events go: its blast radius, at no extra request.
      blastRadius: { credential: 'write-key', areas: [{ area: 'destinations', access: 'listed', count: 1, complete: true, names: ['Google Analytics'] }] },
    });
    const request = fake.requests.find((r) => r.secret === live.writeKey);
    expect(request).toMatchObject({ host: 'cdn.segment.com', method: 'GET', path: `/v1/projects/${live.writeKey}/settings` });
    expect(request?.authorization).toBeUndefined();
  });

  it('checks old 10-character keys the same way', async () => {
    expect((await check('write-key', live.legacyWriteKey)).status).toBe('live');
  });

  it('is invalid on 404', async () => {
    expect(await check('write-key', dead.writeKey)).toEqual({
      status: 'invalid',
      reason: 'cdn.segment.com answered 404 (invalid path or write key)',
    });
  });

  it('is unknown when a 200 body is not settings JSON', async () => {
    fake.script(odd.writeKey, { type: 'answer', status: 200, body: '<html>captive portal</html>' });
    expect(await check('write-key', odd.writeKey)).toEqual({
      status: 'unknown',
      reason: 'cdn.segment.com answered 200 but the body is not source settings JSON',
    });
  });

  it('is unknown when the settings name a different key', async () => {
    const other = fakeCredentials('kinds-other').writeKey;
    fake.script(other, { type: 'answer', status: 200, body: JSON.stringify({ integrations: { 'Segment.io': { apiKey: live.writeKey } } }) });
    expect((await check('write-key', other)).status).toBe('unknown');
  });

  it('is unknown on an unexpected status', async () => {
    const other = fakeCredentials('kinds-418').writeKey;
    fake.script(other, { type: 'answer', status: 418, body: '{}' });
    expect(await check('write-key', other)).toEqual({
      status: 'unknown',
      reason: 'cdn.segment.com answered 418, which this check does not recognise',
    });
  });
});

describe('Public API token', () => {
  it('is live on the US host with the workspace name and slug', async () => {
    expect(await check('public-api-token', live.publicApiToken)).toEqual({
      status: 'live',
      reason: 'api.segmentapis.com answered 200 for workspace acme-us',
      details: { region: 'US', workspaceName: 'Acme US', workspaceSlug: 'acme-us', workspaceId: 'ws_us' },
    });
    const hosts = fake.requests.filter((r) => r.secret === live.publicApiToken).map((r) => r.host);
    expect(hosts).toEqual(['api.segmentapis.com']);
  });

  it('is found live on the EU host after the US host says 401', async () => {
    expect(await check('public-api-token', eu.publicApiToken)).toMatchObject({
      status: 'live',
      details: { region: 'EU', workspaceName: 'Acme EU', workspaceSlug: 'acme-eu' },
    });
    const seen = fake.requests.filter((r) => r.secret === eu.publicApiToken);
    expect(seen.map((r) => [r.host, r.path, r.authorization])).toEqual([
      ['api.segmentapis.com', '/', `Bearer ${eu.publicApiToken}`],
      ['eu1.api.segmentapis.com', '/', `Bearer ${eu.publicApiToken}`],
    ]);
  });

  it('is invalid only when both hosts say 401', async () => {
    expect(await check('public-api-token', dead.publicApiToken)).toEqual({
      status: 'invalid',
      reason: 'api.segmentapis.com answered 401 and eu1.api.segmentapis.com answered 401 (token not accepted in either region)',
    });
  });

  it('treats 403 like 401', async () => {
    expect((await check('public-api-token', odd.publicApiToken)).status).toBe('invalid');
  });

  it('is unknown, not invalid, when one host refuses and the other fails', async () => {
    const token = fakeCredentials('kinds-eu-down').publicApiToken;
    fake.script(token, { type: 'server-error', times: 'always' }, 'eu1.api.segmentapis.com');
    const v = await check('public-api-token', token);
    expect(v.status).toBe('unknown');
    expect(v.reason).toBe('api.segmentapis.com answered 401; eu1.api.segmentapis.com answered 500, still after 4 attempts');
  });

  it('is unknown when a 200 body has no workspace', async () => {
    const token = fakeCredentials('kinds-nows').publicApiToken;
    fake.script(token, { type: 'answer', status: 200, body: '{"data":{}}' }, 'api.segmentapis.com');
    const v = await check('public-api-token', token);
    expect(v.status).toBe('unknown');
    expect(v.reason).toContain('api.segmentapis.com answered 200 but the body is not a workspace description');
  });
});

describe('legacy Config API token', () => {
  it('is live on 200 with the workspace', async () => {
    const request = { secret: live.configApiToken };
    expect(await check('config-api-token', request.secret)).toEqual({
      status: 'live',
      reason: 'platform.segmentapis.com answered 200 with 1 workspace',
      details: { workspaces: '1', workspaceSlug: 'acme-legacy', workspaceName: 'Acme Legacy' },
    });
    expect(fake.requests.find((r) => r.secret === request.secret)).toMatchObject({
      host: 'platform.segmentapis.com',
      path: '/v1beta/workspaces',
      method: 'GET',
    });
  });

  it('is live with limited scope on 403', async () => {
    expect(await check('config-api-token', odd.configApiToken)).toMatchObject({ status: 'live', details: { scope: 'limited' } });
  });

  it('is invalid on 401', async () => {
    expect(await check('config-api-token', dead.configApiToken)).toEqual({
      status: 'invalid',
      reason: 'platform.segmentapis.com answered 401 (token not accepted)',
    });
  });

  it('is unknown on 500 after retries', async () => {
    const token = fakeCredentials('kinds-cfg-500').configApiToken;
    fake.script(token, { type: 'server-error', times: 'always' });
    expect((await check('config-api-token', token)).status).toBe('unknown');
  });
});

describe('sg_ key', () => {
  it('is live on 200 with a project list', async () => {
    expect(await check('sg-key', live.sgKey)).toEqual({
      status: 'live',
      reason: 'api.segment.io answered 200 with a project list',
      details: { projects: '2' },
    });
    expect(fake.requests.find((r) => r.secret === live.sgKey)).toMatchObject({ host: 'api.segment.io', path: '/v1/projects' });
  });

  it('is invalid on 401 and 403', async () => {
    expect((await check('sg-key', dead.sgKey)).status).toBe('invalid');
    fake.script(odd.sgKey, { type: 'answer', status: 403, body: '{}' });
    expect(await check('sg-key', odd.sgKey)).toEqual({ status: 'invalid', reason: 'api.segment.io answered 403 (key not accepted)' });
  });

  it('is unknown on any other answer', async () => {
    const key = fakeCredentials('kinds-sg-404').sgKey;
    fake.script(key, { type: 'answer', status: 404, body: '{"error":"not found"}' });
    expect(await check('sg-key', key)).toEqual({ status: 'unknown', reason: 'api.segment.io answered 404, which this check does not recognise' });
  });
});
