// Blast radius through the CLI, against the loopback stand-in: a live write key's destinations
// (from the CDN answer the check already fetched), a live sgp_ token's reach (a bounded walk of
// read-only lists), in text, JSON and SARIF; only GET requests; no raw secret anywhere.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { leakedSecrets } from '../verify/fakeSegment.js';
import { allWriteKeys, fakeToken, fakeWorkspace, startFakePublicApi, type FakePublicApi, type FakeWorkspace } from '../segment/fakePublicApi.js';

let fake: FakePublicApi;
let acme: FakeWorkspace;
let big: FakeWorkspace;
const owner = fakeToken('blast-owner');
const narrow = fakeToken('blast-narrow');
const wide = fakeToken('blast-wide');
const revoked = fakeToken('blast-revoked');

beforeAll(async () => {
  fake = await startFakePublicApi('blast-radius');
  acme = fakeWorkspace({ seed: 'blast-acme', slug: 'acme', region: 'eu' });
  big = fakeWorkspace({ seed: 'blast-big', slug: 'big', region: 'us', extraSources: 20 });
  fake.tokens.set(owner, { workspace: acme, sourceAdmin: true });
  // A member token: no write keys, and no access to warehouses or IAM users.
  fake.tokens.set(narrow, { workspace: acme, sourceAdmin: false, forbidden: ['/warehouses', '/users'] });
  fake.tokens.set(wide, { workspace: big, sourceAdmin: true });
});
afterAll(() => fake.close());

const secrets = () => [...allWriteKeys(acme), ...allWriteKeys(big), owner, narrow, wide, revoked];

interface Area { area: string; access: string; count?: number; complete?: boolean; names: string[]; writeKeysReadable?: boolean; note?: string }
interface JsonFinding { ruleId: string; path: string; verification?: { status: string }; blastRadius?: { credential: string; workspace?: Record<string, string>; areas: Area[]; requests?: number } }

function tree(): string {
  return tempDir({
    'web/index.html': `<script>analytics.load("${acme.sources[1]!.writeKeys[0]}");</script>\n`,
    'ops/.env': `SEGMENT_PUBLIC_API_TOKEN=${owner}\n`,
  });
}

describe('--verify adds the blast radius of each live finding', () => {
  it('lists a write key\'s destinations and what a token can reach, in JSON, with GET requests only', async () => {
    const before = fake.calls.length;
    const { exitCode, stdout, stderr } = await runCli(['dir', tree(), '--verify', '--format', 'json', ...fake.endpointArgs]);
    expect(exitCode).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    const key = findings.find((f) => f.path === 'web/index.html');
    expect(key?.blastRadius).toEqual({
      credential: 'write-key',
      areas: [{ area: 'destinations', access: 'listed', count: 6, complete: true, names: ['Amplitude', 'Appsflyer', 'Braze', 'Firebase', 'Intercom', 'Mixpanel'] }],
    });
    const token = findings.find((f) => f.ruleId === 'segment-public-api-token');
    expect(token?.verification?.status).toBe('live');
    expect(token?.blastRadius).toEqual({
      credential: 'public-api-token',
      workspace: { id: 'ws_acme', slug: 'acme', name: 'ACME', region: 'EU' },
      areas: [
        { area: 'sources', access: 'listed', count: 3, complete: true, names: ['web-prod', 'ios-prod', 'api-server'], writeKeysReadable: true },
        { area: 'destinations', access: 'listed', count: 9, complete: true, names: ['Google Analytics', 'Mixpanel', 'Amplitude', 'Braze', 'Firebase', 'Mixpanel', 'Appsflyer', 'Intercom', 'Webhooks'] },
        { area: 'warehouses', access: 'listed', count: 1, complete: true, names: ['Snowflake wh_1'] },
        { area: 'users', access: 'listed', count: 3, complete: true, names: [] }, // never names or emails
        { area: 'groups', access: 'listed', count: 2, complete: true, names: ['Admins', 'Engineering'] },
        { area: 'roles', access: 'listed', count: 3, complete: true, names: ['Workspace Owner', 'Source Admin', 'Workspace Member'] },
      ],
      requests: 13, // pages of 2: sources 2, destinations 5, warehouses 1, users 2, groups 1, roles 2
    });
    const made = fake.calls.slice(before);
    expect(made.length).toBeGreaterThan(12);
    expect(made.every((c) => c.method === 'GET')).toBe(true);
    expect(fake.mutations).toEqual([]);
    // The token lives in the EU: after the US host's 401 every request goes to the EU host.
    expect(made.filter((c) => c.secret === owner).map((c) => c.host)).toEqual(['api.segmentapis.com', ...Array(14).fill('eu1.api.segmentapis.com')]);
    expect(leakedSecrets(stdout + stderr, secrets())).toEqual([]);
    expect(stdout).not.toContain('dana@example.com');
  });

  it('shows the reach in text and in SARIF result properties', async () => {
    const text = await runCli(['dir', tree(), '--verify', ...fake.endpointArgs]);
    expect(text.stdout).toContain('reach       events sent with this key reach 6 destinations: Amplitude, Appsflyer, Braze, Firebase, Intercom, Mixpanel');
    expect(text.stdout).toMatch(/reach {7}workspace `acme` \(EU\), 13 read-only requests\n {14}sources 3: web-prod, ios-prod, api-server \(it can read their write keys: every write key is exposed\)\n {14}destinations 9: /);
    const sarif = await runCli(['dir', tree(), '--verify', '--format', 'sarif', ...fake.endpointArgs]);
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string }; properties: { blastRadius?: { credential: string; areas: Area[] } } }> }> }).runs[0]!.results;
    const token = results.find((r) => r.ruleId === 'segment-public-api-token');
    expect(token?.properties.blastRadius?.areas.find((a) => a.area === 'sources')).toMatchObject({ count: 3, writeKeysReadable: true });
    expect(token?.message.text).toMatch(/Blast radius: the token reaches sources 3: web-prod, ios-prod, api-server \(it can read their write keys/);
    const key = results.find((r) => r.ruleId === 'segment-write-key-browser');
    expect(key?.properties.blastRadius).toMatchObject({ credential: 'write-key', areas: [{ count: 6 }] });
    expect(leakedSecrets(text.stdout + sarif.stdout, secrets())).toEqual([]);
  });

  it('reports a 403 list as denied and a token without Source Admin as unable to read write keys', async () => {
    const dir = tempDir({ '.env': `SEGMENT_TOKEN=${narrow}\n` });
    const { stdout } = await runCli(['dir', dir, '--verify', '--format', 'json', ...fake.endpointArgs]);
    const areas = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings[0]?.blastRadius?.areas ?? [];
    expect(areas.find((a) => a.area === 'sources')).toMatchObject({ access: 'listed', writeKeysReadable: false });
    expect(areas.find((a) => a.area === 'warehouses')).toEqual({ area: 'warehouses', access: 'denied', names: [], note: 'eu1.api.segmentapis.com answered 403' });
    expect(areas.find((a) => a.area === 'users')).toMatchObject({ access: 'denied' });
  });

  it('keeps the walk within its request bound, saying what it left unread', async () => {
    const dir = tempDir({ '.env': `SEGMENT_TOKEN=${wide}\n` });
    const before = fake.calls.length;
    const { stdout } = await runCli(['dir', dir, '--verify', '--format', 'json', ...fake.endpointArgs]);
    const reach = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings[0]?.blastRadius;
    // 23 sources, 2 a page: the walk reads 5 pages and says the list is longer.
    expect(reach?.areas[0]).toMatchObject({ area: 'sources', access: 'listed', count: 23, complete: false });
    expect(reach?.areas[0]?.names).toHaveLength(10);
    expect(reach?.requests).toBeLessThanOrEqual(30);
    expect(fake.calls.slice(before).filter((c) => c.secret === wide && c.path === '/sources')).toHaveLength(5);
  });
});

describe('segscan blast-radius', () => {
  it('shows what one token reaches, from the environment; exit 0 when live, 1 when invalid', async () => {
    const live = await runCli(['blast-radius', '--from-env', 'LEAKED', ...fake.endpointArgs], { env: { LEAKED: owner } });
    expect(live.exitCode).toBe(0);
    expect(live.stdout).toMatch(/^live\nkind: public-api-token\nkey: sgp_\S+…\S+\nreason: .*\nreach:\n {2}workspace `acme` \(EU\)/);
    expect(live.stdout).toContain('  roles 3: Workspace Owner, Source Admin, Workspace Member');
    const dead = await runCli(['blast-radius', '--from-env', 'LEAKED', '--format', 'json', ...fake.endpointArgs], { env: { LEAKED: revoked } });
    expect(dead.exitCode).toBe(1);
    expect(JSON.parse(dead.stdout)).toMatchObject({ kind: 'public-api-token', status: 'invalid' });
    expect(JSON.parse(dead.stdout)).not.toHaveProperty('blastRadius');
    expect(leakedSecrets(live.stdout + live.stderr + dead.stdout + dead.stderr, secrets())).toEqual([]);
  });

  it('shows a write key\'s destinations as JSON', async () => {
    const before = fake.calls.length;
    const key = acme.sources[2]!.writeKeys[1]!;
    const { exitCode, stdout } = await runCli(['blast-radius', '--from-env', 'KEY', '--format', 'json', ...fake.endpointArgs], { env: { KEY: key } });
    expect(exitCode).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'write-key', status: 'live', blastRadius: { areas: [{ area: 'destinations', names: ['Webhooks'] }] } });
    expect(fake.calls.slice(before).map((c) => `${c.method} ${c.host}`)).toEqual(['GET cdn.segment.com']);
    expect(leakedSecrets(stdout, [key])).toEqual([]);
  });

  it('refuses a value of no known shape with one line', async () => {
    const { exitCode, stderr } = await runCli(['blast-radius', '--from-env', 'KEY'], { env: { KEY: 'not-a-key' } });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^segscan: error: blast-radius knows what write keys and Public API tokens/);
  });
});
