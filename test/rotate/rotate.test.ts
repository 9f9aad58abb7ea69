// segscan rotate through the CLI, against the loopback stand-in, which records every request:
// without --apply nothing mutating is sent; with it exactly the documented calls, in order, under
// the v1alpha media type; the new key reaches only the 0600 file or the stdout format asked for.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { leakedSecrets } from '../verify/fakeSegment.js';
import { V1ALPHA, allWriteKeys, fakeToken, fakeWorkspace, startFakePublicApi, type FakePublicApi, type FakeWorkspace } from '../segment/fakePublicApi.js';

let fake: FakePublicApi;
let acme: FakeWorkspace;
const admin = fakeToken('rotate-admin');
const member = fakeToken('rotate-member');
const env = { SEGMENT_ADMIN_TOKEN: admin };

beforeAll(async () => {
  fake = await startFakePublicApi('rotate');
});
afterAll(() => fake.close());
beforeEach(() => {
  // A fresh workspace each time: rotations change it.
  acme = fakeWorkspace({ seed: 'rotate-acme', slug: 'acme', region: 'us' });
  fake.tokens.set(admin, { workspace: acme, sourceAdmin: true });
  fake.tokens.set(member, { workspace: acme, sourceAdmin: false });
  fake.newKeysLive = true;
});

const server = () => acme.sources.find((s) => s.id === 'src_api')!;
const rotate = (args: string[], cwd = tempDir(), options: { env?: NodeJS.ProcessEnv } = {}) =>
  runCli(['rotate', 'write-key', '--source', 'src_api', '--token-from-env', 'SEGMENT_ADMIN_TOKEN', ...fake.endpointArgs, ...args], { cwd, env: options.env ?? env });
/** What each new request was, as "METHOD host path". */
function callsSince(before: number): string[] {
  return fake.calls.slice(before).map((c) => `${c.method} ${c.host} ${c.path}`);
}

describe('segscan rotate write-key', () => {
  it('prints the plan and makes no mutating request without --apply', async () => {
    const oldKeys = [...server().writeKeys];
    const before = fake.calls.length;
    const { exitCode, stdout, stderr } = await rotate([]);
    expect(exitCode).toBe(0);
    expect(stdout).toContain('Rotating the write key of source `api-server` (src_api, server, disabled, 2 write keys now) in workspace `acme`:');
    expect(stdout).toContain('  1. POST /sources/src_api/writekey creates a new write key');
    expect(stdout).toMatch(/Nothing was changed \(this was the plan\)/);
    expect(fake.mutations).toEqual([]);
    expect(callsSince(before)).toEqual(['GET api.segmentapis.com /', 'GET api.segmentapis.com /sources/src_api']);
    expect(server().writeKeys).toEqual(oldKeys);
    expect(leakedSecrets(stdout + stderr, [...oldKeys, admin])).toEqual([]);
  });

  it('--apply creates one key with the one documented POST, writes it only to a 0600 file, and logs the call without it', async () => {
    const dir = tempDir();
    const oldKeys = [...server().writeKeys];
    const before = fake.calls.length;
    const { exitCode, stdout, stderr } = await rotate(['--apply', '--new-key-file', 'new-key'], dir);
    expect(exitCode).toBe(0);
    const created = fake.createdKeys.at(-1)!;
    expect(callsSince(before)).toEqual(['GET api.segmentapis.com /', 'GET api.segmentapis.com /sources/src_api', 'POST api.segmentapis.com /sources/src_api/writekey']);
    expect(fake.calls.at(-1)?.accept).toBe(V1ALPHA);
    expect(readFileSync(join(dir, 'new-key'), 'utf8')).toBe(`${created}\n`);
    expect(statSync(join(dir, 'new-key')).mode & 0o777).toBe(0o600);
    expect(stderr).toContain('segscan: POST /sources/src_api/writekey -> 200');
    expect(stderr).toContain('segscan: new write key written to new-key (mode 0600)');
    expect(stdout).toContain('--remove-old --apply --new-key-from-file new-key');
    expect(server().writeKeys).toEqual([...oldKeys, created]);
    expect(leakedSecrets(stdout + stderr, [created, ...oldKeys, admin])).toEqual([]);
  });

  it('--remove-old --apply: POST, the CDN check of the new key, then one DELETE per old key, in that order', async () => {
    const oldKeys = [...server().writeKeys];
    const before = fake.calls.length;
    const { exitCode, stdout, stderr } = await rotate(['--apply', '--remove-old', '--new-key-format', 'dotenv']);
    expect(exitCode).toBe(0);
    const created = fake.createdKeys.at(-1)!;
    expect(callsSince(before)).toEqual([
      'GET api.segmentapis.com /',
      'GET api.segmentapis.com /sources/src_api',
      'POST api.segmentapis.com /sources/src_api/writekey',
      `GET cdn.segment.com /v1/projects/${created}/settings`,
      `DELETE api.segmentapis.com /sources/src_api/writekey/${oldKeys[0]}`,
      `DELETE api.segmentapis.com /sources/src_api/writekey/${oldKeys[1]}`,
    ]);
    expect(fake.calls.slice(before).filter((c) => c.method !== 'GET').every((c) => c.accept === V1ALPHA && c.secret === admin)).toBe(true);
    // Standard output holds the key in the format asked for, and nothing else; the log never does.
    expect(stdout).toBe(`SEGMENT_WRITE_KEY=${created}\n`);
    expect(leakedSecrets(stderr, [created, ...oldKeys, admin])).toEqual([]);
    expect(stderr).toMatch(/segscan: DELETE \/sources\/src_api\/writekey\/\S+…\S* -> 200/);
    expect(stderr).toContain('Done: removed 2 old write keys');
    expect(server().writeKeys).toEqual([created]);
  });

  it('removes nothing while the new key does not answer live on the CDN (exit 1)', async () => {
    fake.newKeysLive = false;
    const dir = tempDir();
    const oldKeys = [...server().writeKeys];
    const mutationsBefore = fake.mutations.length;
    const { exitCode, stdout } = await rotate(['--apply', '--remove-old', '--new-key-file', 'k'], dir);
    expect(exitCode).toBe(1);
    expect(fake.mutations.slice(mutationsBefore).map((c) => c.method)).toEqual(['POST']);
    expect(stdout).toMatch(/The new key does not answer live on the CDN yet: cdn\.segment\.com answered 404 \(invalid path or write key\)\. No key was removed\. Deploy it, then run: segscan rotate write-key --source src_api --remove-old --apply --new-key-from-file k/);
    expect(server().writeKeys).toEqual([...oldKeys, fake.createdKeys.at(-1)]);
  });

  it('the --remove-old run after a deploy keeps the key from the file and deletes only the others', async () => {
    const dir = tempDir();
    const oldKeys = [...server().writeKeys];
    expect((await rotate(['--apply', '--new-key-file', 'k'], dir)).exitCode).toBe(0);
    const created = fake.createdKeys.at(-1)!;
    const before = fake.calls.length;
    const { exitCode, stderr } = await rotate(['--apply', '--remove-old', '--new-key-from-file', 'k'], dir);
    expect(exitCode).toBe(0);
    expect(callsSince(before)).toEqual([
      'GET api.segmentapis.com /',
      'GET api.segmentapis.com /sources/src_api',
      `GET cdn.segment.com /v1/projects/${created}/settings`,
      ...oldKeys.map((k) => `DELETE api.segmentapis.com /sources/src_api/writekey/${k}`),
    ]);
    expect(server().writeKeys).toEqual([created]);
    expect(leakedSecrets(stderr, [created, admin])).toEqual([]);
  });

  it('refuses --apply with nowhere to put the new key, before any request', async () => {
    const before = fake.calls.length;
    const { exitCode, stderr } = await rotate(['--apply']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/^segscan: error: --apply creates a new key: say where it goes with --new-key-file FILE/m);
    expect(fake.calls.length).toBe(before);
  });

  it('never overwrites an existing file, and then changes nothing', async () => {
    const dir = tempDir({ k: 'precious\n' });
    const before = fake.mutations.length;
    const { exitCode, stderr } = await rotate(['--apply', '--new-key-file', 'k'], dir);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--new-key-file k already exists/);
    expect(readFileSync(join(dir, 'k'), 'utf8')).toBe('precious\n');
    expect(fake.mutations.length).toBe(before);
  });

  it('does not retry a rate-limited POST (a second one could create a second key)', async () => {
    fake.rateLimit('POST', '/sources/src_api/writekey', 1);
    const mutationsBefore = fake.mutations.length;
    const dir = tempDir();
    const { exitCode, stderr } = await rotate(['--apply', '--new-key-file', 'k'], dir);
    expect(exitCode).toBe(2);
    expect(fake.mutations.slice(mutationsBefore).map((c) => c.method)).toEqual(['POST']);
    expect(stderr).toMatch(/answered 429 to POST \/sources\/src_api\/writekey; rate limited; not retried/);
    expect(() => statSync(join(dir, 'k'))).toThrow(); // the reserved file is removed again
  });

  it('with --remove-old, refuses a token that cannot see the write keys, before creating anything', async () => {
    const before = fake.mutations.length;
    const { exitCode, stderr } = await rotate(['--apply', '--remove-old', '--new-key-file', 'k'], tempDir(), { env: { SEGMENT_ADMIN_TOKEN: member } });
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/cannot see source src_api's write keys \(it needs Source Admin\)/);
    expect(fake.mutations.length).toBe(before);
  });
});

describe('segscan rotate public-api-token', () => {
  it('names the app page that deletes the token and the audit to run', async () => {
    const leaked = fakeToken('rotate-leaked-eu');
    const eu = fakeWorkspace({ seed: 'rotate-eu', slug: 'acme-eu', region: 'eu' });
    fake.tokens.set(leaked, { workspace: eu, sourceAdmin: true });
    const before = fake.calls.length;
    const { exitCode, stdout } = await runCli(['rotate', 'public-api-token', '--from-env', 'LEAKED', '--since', '2024-05-01', ...fake.endpointArgs], { env: { LEAKED: leaked } });
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^The token is live: it belongs to workspace `acme-eu` \(EU\)\. Public API tokens cannot be rotated or deleted through the API\./);
    expect(stdout).toContain('Open https://eu1.app.segment.com/acme-eu/settings/access-management/tokens');
    expect(stdout).toContain('segscan audit --since 2024-05-01 --token-from-env');
    expect(fake.calls.slice(before).every((c) => c.method === 'GET')).toBe(true);
    expect(leakedSecrets(stdout, [leaked, ...allWriteKeys(eu)])).toEqual([]);
  });
});

describe('--new-key-from-file', () => {
  it('refuses --new-key-from-file holding something that is not a write key', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'k'), 'not a key\n');
    const { exitCode, stderr } = await rotate(['--apply', '--remove-old', '--new-key-from-file', 'k'], dir);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--new-key-from-file k does not hold one write key/);
  });
});
