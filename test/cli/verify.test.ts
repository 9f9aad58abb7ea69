// --verify through the scanning commands and verify-key, against a local fake of Segment's hosts:
// what the user sees in each format, which requests were made, and the exit codes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { leakedSecrets, startFakeSegment, type FakeSegment } from '../verify/fakeSegment.js';

const live = fakeCredentials('cli-verify-live');
const dead = fakeCredentials('cli-verify-dead');
let fake: FakeSegment;
let endpointArgs: string[];

beforeAll(async () => {
  fake = await startFakeSegment();
  fake.liveWriteKeys.add(live.writeKey);
  fake.euTokens.add(live.publicApiToken);
  endpointArgs = Object.entries(fake.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
});
afterAll(() => fake.close());

function tree(): string {
  return tempDir({
    'web/index.html': `<script>analytics.load("${live.writeKey}");</script>\n`,
    'server/.env': `SEGMENT_WRITE_KEY=${dead.writeKey}\nSEGMENT_PUBLIC_API_TOKEN=${live.publicApiToken}\n`,
    'copies/a.js': Array.from({ length: 50 }, () => `analytics.load("${live.writeKey}");`).join('\n'),
  });
}

interface JsonFinding { path: string; ruleId: string; verification?: { status: string; reason: string; details?: Record<string, string> } }

describe('segscan dir --verify', () => {
  it('marks each finding live or invalid, checks each secret once, never calls the tracking API', async () => {
    const before = fake.requests.length;
    const { exitCode, stdout, stderr } = await runCli(['dir', tree(), '--verify', '--format', 'json', ...endpointArgs]);
    expect(exitCode).toBe(1);
    expect(stderr).toMatch(/warning: .*verify-endpoint/i);
    const findings = (JSON.parse(stdout) as { findings: JsonFinding[] }).findings;
    const status = (path: string, ruleId: string) => findings.find((f) => f.path === path && f.ruleId === ruleId)?.verification?.status;
    expect(status('web/index.html', 'segment-write-key-browser')).toBe('live');
    expect(status('server/.env', 'segment-credential-variable')).toBe('invalid');
    expect(status('server/.env', 'segment-public-api-token')).toBe('live');
    expect(findings.find((f) => f.ruleId === 'segment-public-api-token')?.verification?.details).toMatchObject({ region: expect.stringMatching(/eu/i) });
    const made = fake.requests.slice(before);
    expect(made.filter((r) => r.secret === live.writeKey)).toHaveLength(1); // 51 occurrences, one request
    expect(made.every((r) => r.method === 'GET')).toBe(true);
    expect(fake.trackingCalls).toBe(0);
    expect(leakedSecrets(stdout + stderr, [live.writeKey, dead.writeKey, live.publicApiToken])).toEqual([]);
  });

  it('shows LIVE in text and level error in SARIF', async () => {
    const text = await runCli(['dir', tree(), '--verify', ...endpointArgs]);
    expect(text.stdout).toMatch(/index\.html:1:\d+ .*LIVE/);
    const sarif = await runCli(['dir', tree(), '--verify', '--format', 'sarif', ...endpointArgs]);
    const results = (JSON.parse(sarif.stdout) as { runs: Array<{ results: Array<{ level: string; ruleId: string; properties: { verification?: { status: string } } }> }> }).runs[0]?.results ?? [];
    const browser = results.find((r) => r.ruleId === 'segment-write-key-browser');
    expect(browser).toMatchObject({ level: 'error', properties: { verification: { status: 'live' } } });
  });

  it('--only-verified reports only live findings; --fail-on live sets the exit code only for live ones', async () => {
    const only = await runCli(['dir', tree(), '--only-verified', '--format', 'json', ...endpointArgs]);
    const findings = (JSON.parse(only.stdout) as { findings: JsonFinding[] }).findings;
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.every((f) => f.verification?.status === 'live')).toBe(true);
    const deadOnly = tempDir({ '.env': `SEGMENT_WRITE_KEY=${dead.writeKey}\n` });
    expect((await runCli(['dir', deadOnly, '--fail-on', 'live', ...endpointArgs])).exitCode).toBe(0);
    expect((await runCli(['dir', deadOnly, '--fail-on', 'any', '--verify', ...endpointArgs])).exitCode).toBe(1);
  });

  it('refuses a plain-http endpoint for a host that is not a Segment host, with exit 2', async () => {
    const { exitCode, stderr } = await runCli(['dir', tree(), '--verify', '--verify-endpoint', 'evil.example.com=http://127.0.0.1:1']);
    expect(exitCode).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('segscan verify-key', () => {
  it('exits 0 for a live key from the environment, 1 for an invalid one, 2 without a key', async () => {
    const ok = await runCli(['verify-key', '--from-env', 'SEGMENT_WRITE_KEY', ...endpointArgs], { env: { SEGMENT_WRITE_KEY: live.writeKey } });
    expect(ok.exitCode).toBe(0);
    expect(ok.stdout).toMatch(/^live\n/);
    expect(ok.stdout).not.toContain(live.writeKey);
    const bad = await runCli(['verify-key', ...endpointArgs], { stdin: `${dead.writeKey}\n` });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/^invalid\n/);
    const none = await runCli(['verify-key', '--from-env', 'MISSING', ...endpointArgs], { env: {} });
    expect(none.exitCode).toBe(2);
  });
});
