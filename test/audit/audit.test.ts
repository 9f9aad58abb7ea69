// segscan audit through the CLI, against the loopback stand-in: the window's events done by API
// tokens, every page, as a table and as JSON; the window can start at a report's commit date.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';
import { leakedSecrets } from '../verify/fakeSegment.js';
import { fakeToken, fakeWorkspace, startFakePublicApi, type FakeAuditEvent, type FakePublicApi } from '../segment/fakePublicApi.js';

let fake: FakePublicApi;
const owner = fakeToken('audit-owner');
const member = fakeToken('audit-member');
const env = { SEGMENT_OWNER_TOKEN: owner };

const event = (id: string, timestamp: string, type: string, actor: string, actorEmail?: string): FakeAuditEvent => ({
  id,
  timestamp,
  type,
  actor,
  ...(actorEmail ? { actorEmail } : {}),
  resourceId: `res_${id}`,
  resourceType: 'Source',
  resourceName: `source ${id}`,
});

beforeAll(async () => {
  fake = await startFakePublicApi('audit');
  const ws = fakeWorkspace({ seed: 'audit-acme', slug: 'acme', region: 'us' });
  ws.auditEvents = [
    event('e0', '2020-12-01T00:00:00Z', 'Source Modified', 'terraform-token'), // before the window
    event('e1', '2021-01-01T03:00:00Z', 'Source Modified', 'terraform-token'),
    event('e2', '2021-01-02T00:00:00Z', 'Destination Created', 'Dana Owner', 'dana@example.com'),
    event('e3', '2021-01-03T00:00:00Z', 'Access Token Created', 'ci-token'),
    event('e4', '2021-01-04T00:00:00Z', 'Source Modified', 'Lee Member', 'lee@example.com'),
    event('e5', '2021-01-05T00:00:00Z', 'Warehouse Modified', 'ci-token'),
  ];
  fake.tokens.set(owner, { workspace: ws, sourceAdmin: true });
  fake.tokens.set(member, { workspace: ws, sourceAdmin: false, forbidden: ['/audit-events'] });
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});

const audit = (args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) =>
  runCli(['audit', '--token-from-env', 'SEGMENT_OWNER_TOKEN', ...fake.endpointArgs, ...args], { cwd: options.cwd ?? tempDir(), env: options.env ?? env });

describe('segscan audit', () => {
  it('lists the window\'s token events from every page as a table', async () => {
    const before = fake.calls.length;
    const { exitCode, stdout, stderr } = await audit(['--since', '2021-01-01']);
    expect(exitCode).toBe(0);
    expect(stdout).toBe(
      [
        'Audit events done by API tokens in workspace `acme` (US) from 2021-01-01T00:00:00.000Z to now: 3 of 5 events read',
        '',
        'TIME                  TYPE                  ACTOR            RESOURCE',
        '2021-01-01T03:00:00Z  Source Modified       terraform-token  Source source e1 (res_e1)',
        '2021-01-03T00:00:00Z  Access Token Created  ci-token         Source source e3 (res_e3)',
        '2021-01-05T00:00:00Z  Warehouse Modified    ci-token         Source source e5 (res_e5)',
        '',
      ].join('\n'),
    );
    const pages = fake.calls.slice(before).filter((c) => c.path === '/audit-events');
    // 5 events, 2 a page: 3 pages, each after the first asking for the cursor the one before gave.
    expect(pages.map((c) => [c.method, c.query['startTime'], c.query['pagination.count'], c.query['pagination.cursor'] !== undefined])).toEqual([
      ['GET', '2021-01-01T00:00:00.000Z', '200', false],
      ['GET', '2021-01-01T00:00:00.000Z', '200', true],
      ['GET', '2021-01-01T00:00:00.000Z', '200', true],
    ]);
    expect(stdout).not.toContain('dana@example.com');
    expect(leakedSecrets(stdout + stderr, [owner])).toEqual([]);
  });

  it('writes JSON, with --until ending the window', async () => {
    const { exitCode, stdout } = await audit(['--since', '2021-01-01', '--until', '2021-01-04', '--format', 'json']);
    expect(exitCode).toBe(0);
    const doc = JSON.parse(stdout) as { since: string; until: string; complete: boolean; eventsRead: number; events: Array<{ id: string; actor: string }> };
    expect(doc).toMatchObject({ since: '2021-01-01T00:00:00.000Z', until: '2021-01-04T00:00:00.000Z', complete: true, eventsRead: 3 });
    expect(doc.events.map((e) => [e.id, e.actor])).toEqual([['e1', 'terraform-token'], ['e3', 'ci-token']]);
  });

  it('starts the window at the commit date of a history report\'s first finding', async () => {
    const repo = createTestRepo();
    repo.write('README.md', 'hello\n');
    repo.commit('first'); // 2021-01-01T00:00Z on the test clock
    repo.write('.env', `SEGMENT_WRITE_KEY=${fakeCredentials('audit-report').writeKey}\n`);
    repo.commit('add env'); // 01:00Z
    const scan = await runCli(['git', repo.dir, '--format', 'json', '--output', 'report.json'], { cwd: repo.dir });
    expect(scan.exitCode).toBe(1);
    const { exitCode, stdout } = await audit(['--report', 'report.json', '--format', 'json'], { cwd: repo.dir });
    expect(exitCode).toBe(0);
    const doc = JSON.parse(stdout) as { since: string; events: Array<{ id: string }> };
    expect(doc.since).toBe('2021-01-01T01:00:00.000Z');
    expect(doc.events.map((e) => e.id)).toEqual(['e1', 'e3', 'e5']);
  });

  it('retries a rate-limited page and still reads every event', async () => {
    fake.rateLimit('GET', '/audit-events', 1);
    const before = fake.calls.length;
    const { exitCode, stdout } = await audit(['--since', '2021-01-01', '--format', 'json']);
    expect(exitCode).toBe(0);
    expect((JSON.parse(stdout) as { events: unknown[] }).events).toHaveLength(3);
    expect(fake.calls.slice(before).filter((c) => c.path === '/audit-events')).toHaveLength(4);
  });

  it('says when --max-pages cut the listing short', async () => {
    const { stdout } = await audit(['--since', '2021-01-01', '--max-pages', '1']);
    expect(stdout).toMatch(/^warning: the listing stopped before the end \(--max-pages\); older events in the window are missing$/m);
  });

  it('fails with one line: no window, a bad date, a report without commit dates, a token that may not read the trail', async () => {
    const none = await audit([]);
    expect([none.exitCode, none.stderr]).toEqual([2, expect.stringMatching(/^segscan: error: say where the exposure window starts: --since DATE, or --report FILE/)]);
    const bad = await audit(['--since', 'last tuesday']);
    expect([bad.exitCode, bad.stderr]).toEqual([2, expect.stringMatching(/--since expects a date such as 2024-05-01/)]);
    const dir = tempDir();
    writeFileSync(join(dir, 'r.json'), JSON.stringify({ findings: [{ path: 'a' }] }));
    const noDates = await audit(['--report', 'r.json'], { cwd: dir });
    expect([noDates.exitCode, noDates.stderr]).toEqual([2, expect.stringMatching(/r\.json has no finding with a commit date .*; pass --since DATE/)]);
    const denied = await audit(['--since', '2021-01-01'], { env: { SEGMENT_OWNER_TOKEN: member } });
    expect([denied.exitCode, denied.stderr]).toEqual([2, expect.stringMatching(/answered 403 to GET \/audit-events; reading the audit trail needs a Workspace Owner token/)]);
  });
});
