// `segscan verify-key`: reads one key from an environment variable or stdin text, prints the
// verdict and exits 0 live, 1 invalid, 3 unknown, 2 usage error. The key never appears in output.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { redactSecret } from '../../src/engine/redact.js';
import { createVerificationService, type VerificationService } from '../../src/verify/verifier.js';
import { runVerifyKey } from '../../src/verify/verifyKey.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { leakedSecrets, startFakeSegment, type FakeSegment } from './fakeSegment.js';

let fake: FakeSegment;
let service: VerificationService;
const live = fakeCredentials('vk-live');
const dead = fakeCredentials('vk-dead');
const flaky = fakeCredentials('vk-flaky');
const secrets = [live, dead, flaky].flatMap((c) => Object.values(c));
const outputs: string[] = [];

beforeAll(async () => {
  fake = await startFakeSegment();
  fake.liveWriteKeys.add(live.writeKey);
  fake.euTokens.add(live.publicApiToken);
  fake.script(flaky.writeKey, { type: 'server-error', times: 'always' });
  service = createVerificationService({ endpoints: fake.endpoints, retries: 1 }, { env: {}, sleep: async () => {} });
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  expect(leakedSecrets(outputs.join('\n'), secrets)).toEqual([]);
  await fake.close();
});

async function run(input: Parameters<typeof runVerifyKey>[0]) {
  const result = await runVerifyKey(input, service);
  outputs.push(result.stdout, result.stderr);
  return result;
}

describe('verify-key', () => {
  it('exits 0 for a live write key read from the environment', async () => {
    const result = await run({ fromEnv: 'SEGMENT_WRITE_KEY', env: { SEGMENT_WRITE_KEY: `  ${live.writeKey}\n` } });
    expect(result).toEqual({
      exitCode: 0,
      stdout: [
        'live',
        'kind: write-key',
        `key: ${redactSecret(live.writeKey)}`,
        "reason: cdn.segment.com answered 200 with the source's settings",
        'settings: found',
        'destinations: 1',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('reports the workspace for a live token read from stdin', async () => {
    const result = await run({ stdinText: `${live.publicApiToken}\n`, env: {} });
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('kind: public-api-token\n');
    expect(result.stdout).toContain('workspaceName: Acme EU\nworkspaceSlug: acme-eu\n');
  });

  it('exits 1 for an invalid key', async () => {
    const result = await run({ stdinText: dead.writeKey, env: {} });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^invalid\n/);
    expect(result.stdout).toContain('reason: cdn.segment.com answered 404 (invalid path or write key)\n');
  });

  it('exits 3 when the check cannot decide', async () => {
    const result = await run({ fromEnv: 'KEY', env: { KEY: flaky.writeKey } });
    expect(result.exitCode).toBe(3);
    expect(result.stdout).toMatch(/^unknown\n/);
    expect(result.stdout).toContain('reason: cdn.segment.com answered 500, still after 2 attempts\n');
  });

  it('refuses a --kind the key does not have the shape of, and sends it nowhere', async () => {
    // A write key must never reach a token endpoint, whatever --kind says.
    await expect(run({ stdinText: dead.writeKey, kind: 'sg-key', env: {} })).rejects.toThrow(
      "verify-key: the key does not have the shape of a sg-key (its shape is a write-key's); check --kind",
    );
    expect(fake.requests.filter((r) => r.secret === dead.writeKey && r.host !== 'cdn.segment.com')).toEqual([]);
  });

  it('prefers --from-env over stdin', async () => {
    const result = await run({ fromEnv: 'K', stdinText: dead.writeKey, env: { K: live.writeKey } });
    expect(result.exitCode).toBe(0);
  });

  // What a user sees, through the CLI: one `segscan: error:` line, like every other command (it
  // used to print `segscan verify-key: …`).
  const cli = (input: { fromEnv?: string; stdinText?: string; kind?: string; env: NodeJS.ProcessEnv }) =>
    runCli(['verify-key', ...(input.fromEnv !== undefined ? ['--from-env', input.fromEnv] : []), ...(input.kind !== undefined ? ['--kind', input.kind] : [])], {
      env: input.env,
      ...(input.stdinText !== undefined ? { stdin: input.stdinText } : { stdinIsTTY: true }),
    });
  it.each([
    [{ env: {} }, 'no key given: pass --from-env NAME or pipe the key on standard input (never on the command line)'],
    [{ fromEnv: 'MISSING', env: {} }, 'environment variable MISSING is not set'],
    [{ fromEnv: 'EMPTY', env: { EMPTY: '  \n' } }, 'environment variable EMPTY is empty'],
    [{ stdinText: '\n', env: {} }, 'standard input is empty: expected one key'],
    [{ stdinText: 'one\ntwo', env: {} }, 'standard input holds more than one word or line; expected a single key'],
    [{ stdinText: 'abc', env: {} }, "the key's shape is not a known Segment credential; pass --kind (write-key, public-api-token, config-api-token, sg-key)"],
  ])('exits 2 with one segscan: error: line for a usage error (%#)', async (input, message) => {
    const before = fake.requests.length;
    const result = await cli(input);
    outputs.push(result.stdout, result.stderr);
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `segscan: error: verify-key: ${message} (see segscan --help)\n` });
    expect(fake.requests.length).toBe(before);
  });

  it('rejects an unknown --kind (the CLI checks its choices first)', async () => {
    await expect(run({ stdinText: 'abc', kind: 'password', env: {} })).rejects.toThrow(
      new UsageError('verify-key: unknown --kind "password": use one of write-key, public-api-token, config-api-token, sg-key, auto'),
    );
  });

  it('does not echo a key pasted into --kind', async () => {
    await expect(run({ stdinText: live.writeKey, kind: live.sgKey, env: {} })).rejects.toThrow(
      new UsageError('verify-key: unknown --kind: use one of write-key, public-api-token, config-api-token, sg-key, auto'),
    );
  });
});
