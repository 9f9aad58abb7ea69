// workspace sync -> --known-keys, end to end through the CLI against the loopback stand-in: the
// file holds hashes and never a key; scans find the workspace's own keys wherever they are,
// attributed to their source; errors are one line with exit code 2.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/fingerprint.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';
import { leakedSecrets } from '../verify/fakeSegment.js';
import { allWriteKeys, fakeToken, fakeWorkspace, startFakePublicApi, type FakePublicApi, type FakeWorkspace } from '../segment/fakePublicApi.js';

let fake: FakePublicApi;
let acme: FakeWorkspace;
const owner = fakeToken('known-keys-owner');
const member = fakeToken('known-keys-member');
const euOwner = fakeToken('known-keys-eu');
let euWorkspace: FakeWorkspace;

beforeAll(async () => {
  fake = await startFakePublicApi('known-keys');
  acme = fakeWorkspace({ seed: 'known-keys-acme', slug: 'acme', region: 'us' });
  euWorkspace = fakeWorkspace({ seed: 'known-keys-eu', slug: 'acme-eu', region: 'eu' });
  fake.tokens.set(owner, { workspace: acme, sourceAdmin: true });
  fake.tokens.set(member, { workspace: acme, sourceAdmin: false });
  fake.tokens.set(euOwner, { workspace: euWorkspace, sourceAdmin: true });
});
afterAll(async () => {
  await fake.close();
  removeTempDirs();
});

const secrets = () => [...allWriteKeys(acme), ...allWriteKeys(euWorkspace), owner, member, euOwner];

async function sync(dir: string, token = owner, extra: string[] = []) {
  return runCli(['workspace', 'sync', '--token-from-env', 'SEGMENT_OWNER_TOKEN', '--output', 'known.json', ...fake.endpointArgs, ...extra], {
    cwd: dir,
    env: { SEGMENT_OWNER_TOKEN: token },
  });
}

interface JsonFinding {
  ruleId: string;
  path: string;
  severity: string;
  confidence: string;
  signals: string[];
  secretHash: string;
  knownKey?: { workspace: { slug: string }; source: { id: string; slug: string; kind: string; enabled: boolean; destinations: number } };
}

describe('segscan workspace sync', () => {
  it('writes every source with hashes of its write keys and no raw key, reading every page with GET only', async () => {
    const dir = tempDir();
    const before = fake.calls.length;
    const result = await sync(dir);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/wrote known\.json: 3 sources, 4 write keys \(SHA-256 only\) of workspace `acme` \(US\)/);
    const path = join(dir, 'known.json');
    const text = readFileSync(path, 'utf8');
    expect(leakedSecrets(text + result.stdout + result.stderr, secrets())).toEqual([]);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const file = JSON.parse(text) as { workspace: { slug: string; region: string }; sources: Array<{ id: string; slug: string; kind: string; enabled: boolean; destinations: number; writeKeys: Array<{ sha256: string; length: number }> }> };
    expect(file.workspace).toMatchObject({ slug: 'acme', region: 'us' });
    expect(file.sources.map((s) => [s.slug, s.kind, s.enabled, s.destinations])).toEqual([
      ['web-prod', 'website', true, 2],
      ['ios-prod', 'mobile', true, 6],
      ['api-server', 'server', false, 1],
    ]);
    expect(file.sources[2]?.writeKeys).toEqual(acme.sources[2]!.writeKeys.map((k) => ({ sha256: sha256Hex(k), length: 32, hasDigit: /[0-9]/.test(k) })));
    const made = fake.calls.slice(before);
    expect(made.every((c) => c.method === 'GET')).toBe(true);
    // 3 sources, 2 a page: the second page is asked for with the first page's cursor.
    const sourcePages = made.filter((c) => c.path === '/sources');
    expect(sourcePages.map((c) => c.query['pagination.cursor'] !== undefined)).toEqual([false, true]);
    expect(sourcePages.every((c) => c.query['pagination.count'] === '200')).toBe(true);
    // ios-prod's 6 destinations take 3 pages of 2.
    expect(made.filter((c) => c.path === '/sources/src_ios/connected-destinations')).toHaveLength(3);
  });

  it('finds an EU workspace on the EU host with --region auto, and refuses it with --region us', async () => {
    const dir = tempDir();
    const auto = await sync(dir, euOwner);
    expect(auto.exitCode).toBe(0);
    expect(auto.stdout).toMatch(/workspace `acme-eu` \(EU\)/);
    const us = await sync(tempDir(), euOwner, ['--region', 'us']);
    expect(us.exitCode).toBe(2);
    expect(us.stderr).toMatch(/^segscan: error: api\.segmentapis\.com answered 401 to GET \/; check that/m);
  });

  it('fails with one line when the token cannot read write keys, and writes no file', async () => {
    const dir = tempDir();
    const result = await sync(dir, member);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n').filter((l) => l.startsWith('segscan: error:'))).toEqual([
      expect.stringMatching(/lists 3 sources but none of their write keys .*Source Admin.*; use a Workspace Owner token/),
    ]);
    expect(() => statSync(join(dir, 'known.json'))).toThrow();
  });

  it('says which variable is missing, never taking a token from argv', async () => {
    const result = await runCli(['workspace', 'sync', '--token-from-env', 'NOPE', ...fake.endpointArgs], { cwd: tempDir() });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/segscan: error: environment variable NOPE is not set/);
  });
});

describe('scans with --known-keys', () => {
  let root: string;
  let knownFile: string;
  const ios = () => acme.sources[1]!.writeKeys[0]!;
  const server = () => acme.sources[2]!.writeKeys[1]!;
  const web = () => acme.sources[0]!.writeKeys[0]!;

  beforeAll(async () => {
    const dir = tempDir();
    expect((await sync(dir)).exitCode).toBe(0);
    knownFile = join(dir, 'known.json');
    root = tempDir({
      // A minified bundle: the key is a bare string with no name any rule knows.
      'dist/app.min.js': `!function(){var e={a:1},t="${ios()}",n=function(r){return r+t};window.__c=[n,e,"${'x'.repeat(40)}"]}();`,
      // Plain prose: nothing for a rule to anchor on.
      'notes/handover.txt': `The old backend used ${server()} until March.\n`,
      // A rule finds this one: it keeps its rule and gains the attribution.
      'web/index.html': `<script>analytics.load("${web()}");</script>\n`,
      // A key-shaped token that is not one of the workspace's keys.
      'docs/readme.md': `Example id: ${'Ab1'.repeat(10)}Zz\n`,
    });
  });

  async function scan(args: string[], cwd = root) {
    return runCli(['dir', '.', '--format', 'json', '--known-keys', knownFile, ...args], { cwd });
  }

  it('finds a workspace key in a minified bundle and in a file no rule matches, attributed to its source', async () => {
    const { exitCode, stdout, stderr } = await scan([]);
    expect(exitCode).toBe(1);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    const at = (path: string) => findings.filter((f) => f.path === path);
    expect(at('dist/app.min.js')).toEqual([
      expect.objectContaining({
        ruleId: 'segment-known-write-key',
        severity: 'low', // a mobile source's key ships in every app
        confidence: 'high',
        secretHash: sha256Hex(ios()),
        signals: ['known-key:ios-prod'],
        knownKey: { workspace: { id: 'ws_acme', slug: 'acme', name: 'ACME' }, source: { id: 'src_ios', slug: 'ios-prod', name: 'iOS (prod)', enabled: true, kind: 'mobile', destinations: 6 } },
      }),
    ]);
    expect(at('notes/handover.txt')).toEqual([
      expect.objectContaining({ ruleId: 'segment-known-write-key', severity: 'medium', knownKey: expect.objectContaining({ source: expect.objectContaining({ slug: 'api-server', kind: 'server', enabled: false }) }) }),
    ]);
    expect(at('docs/readme.md')).toEqual([]);
    expect(leakedSecrets(stdout + stderr, secrets())).toEqual([]);
  });

  it('gives a key another rule found the same attribution, without a second finding', async () => {
    const findings = (JSON.parse((await scan([])).stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.filter((f) => f.path === 'web/index.html')).toEqual([
      expect.objectContaining({
        ruleId: 'segment-write-key-browser',
        severity: 'low',
        confidence: 'high',
        signals: expect.arrayContaining(['known-key:web-prod']),
        knownKey: expect.objectContaining({ source: expect.objectContaining({ slug: 'web-prod', kind: 'website' }) }),
      }),
    ]);
  });

  it('finds nothing in those files without the known-keys file', async () => {
    const { stdout } = await runCli(['dir', '.', '--format', 'json'], { cwd: root });
    const paths = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings.map((f) => f.path);
    expect(paths).toEqual(['web/index.html']);
  });

  it('says whose key it is in text and SARIF', async () => {
    const text = await runCli(['dir', '.', '--known-keys', knownFile], { cwd: root });
    expect(text.stdout).toMatch(/dist\/app\.min\.js:1:\d+ {2}LOW {2}segment-known-write-key: Write key of a source in your workspace/);
    expect(text.stdout).toContain('source      write key of source `ios-prod` (mobile, enabled, 6 destinations) in workspace `acme`');
    expect(text.stdout).toContain('source      write key of source `api-server` (server, disabled, 1 destination) in workspace `acme`');
    const sarif = await runCli(['dir', '.', '--format', 'sarif', '--known-keys', knownFile], { cwd: root });
    const run = (JSON.parse(sarif.stdout) as { runs: Array<{ tool: { driver: { rules: Array<{ id: string }> } }; results: Array<{ ruleId: string; level: string; message: { text: string }; properties: { knownKey?: { source: { slug: string } } } }> }> }).runs[0]!;
    expect(run.tool.driver.rules.map((r) => r.id)).toContain('segment-known-write-key');
    const handover = run.results.find((r) => r.message.text.includes('api-server'));
    expect(handover).toMatchObject({ ruleId: 'segment-known-write-key', level: 'warning', properties: { knownKey: { source: { slug: 'api-server' } } } });
    expect(leakedSecrets(text.stdout + sarif.stdout, secrets())).toEqual([]);
  });

  it('works in history scans, on standard input and with a worker pool', async () => {
    const repo = createTestRepo();
    repo.write('cfg/tracking.txt', `key = ${ios()}\n`);
    repo.commit('add tracking');
    repo.write('cfg/tracking.txt', 'key removed\n');
    repo.commit('remove key');
    const git = await runCli(['git', repo.dir, '--format', 'json', '--known-keys', knownFile], { cwd: repo.dir });
    const found = (JSON.parse(git.stdout) as { findings: Array<JsonFinding & { commit?: { subject: string } }> }).findings;
    expect(found).toEqual([expect.objectContaining({ ruleId: 'segment-known-write-key', path: 'cfg/tracking.txt', commit: expect.objectContaining({ subject: 'add tracking' }) })]);

    const stdin = await runCli(['stdin', '--format', 'json', '--known-keys', knownFile], { cwd: root, stdin: `x ${server()} y` });
    expect((JSON.parse(stdin.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.knownKey?.source.slug)).toEqual(['api-server']);

    // Past 256 files the scan goes to worker threads, which load the known keys too.
    const files: Record<string, string> = {};
    // Whatever the walk's order, some of the files holding the key come after the first 256.
    for (let i = 0; i < 300; i++) files[`f/${i}.txt`] = i % 25 === 0 ? `late ${ios()}\n` : `file ${i}\n`;
    const big = await runCli(['dir', '.', '--format', 'json', '--known-keys', knownFile], { cwd: tempDir(files) });
    const paths = (JSON.parse(big.stdout) as { findings: JsonFinding[] }).findings.map((f) => f.path);
    expect(paths).toEqual(Array.from({ length: 12 }, (_, i) => `f/${i * 25}.txt`).sort());
  });

  it('reports a known key a commit is about to add, and not one already committed', async () => {
    const repo = createTestRepo();
    repo.write('notes.txt', `old ${web()}\n`);
    repo.commit('old note');
    repo.write('notes.txt', `old ${web()}\nnew ${server()}\n`);
    repo.stage('notes.txt');
    const staged = await runCli(['staged', repo.dir, '--format', 'json', '--known-keys', knownFile], { cwd: repo.dir });
    expect(staged.exitCode).toBe(1);
    const found = (JSON.parse(staged.stdout) as { findings: Array<JsonFinding & { start: { line: number } }> }).findings;
    expect(found.map((f) => [f.start.line, f.knownKey?.source.slug])).toEqual([[2, 'api-server']]);
  });

  it('honours segscan:allow on the line', async () => {
    const dir = tempDir({ 'a.txt': `${ios()} // segscan:allow\n` });
    expect((await scan([], dir)).exitCode).toBe(0);
  });

  it('refuses a known-keys file that is not one, with one line and exit 2', async () => {
    const dir = tempDir({ 'bad.json': JSON.stringify({ format: 'segscan-known-keys', version: 1, generatedAt: 'x', workspace: { id: 'w', slug: 's', name: 'n', region: 'us' }, sources: [{ id: 'a', slug: 'b', name: 'c', enabled: true, kind: 'server', destinations: 0, writeKeys: [{ sha256: ios(), length: 32, hasDigit: true }] }] }) });
    writeFileSync(join(dir, 'x.txt'), 'hello\n');
    const result = await runCli(['dir', '.', '--known-keys', 'bad.json'], { cwd: dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^segscan: error: known-keys file bad\.json: sources\[0\]\.writeKeys\[0\]\.sha256 is not a SHA-256 in hex; write it again with segscan workspace sync/m);
    expect(leakedSecrets(result.stderr, [ios()])).toEqual([]);
    const missing = await runCli(['dir', '.', '--known-keys', 'nope.json'], { cwd: dir });
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toMatch(/known-keys file not found: nope\.json; write it with segscan workspace sync/);
  });
});
