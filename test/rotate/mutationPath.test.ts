// The one path that changes anything in Segment: reachable only with --apply, only from the rotate
// command, only for the two documented write-key calls, sent once and never redirected.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApplyConsent, V1ALPHA, writeKeyMutations, type MutationOptions } from '../../src/rotate/writeKeyMutations.js';
import { fakeCredentials } from '../../src/rules/templates.js';

const SRC = fileURLToPath(new URL('../../src/', import.meta.url));
const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => (statSync(join(dir, n)).isDirectory() ? files(join(dir, n)) : [join(dir, n)]));
const creds = fakeCredentials('mutation-path');

interface Sent { url: string; method: string | undefined; redirect: string | undefined; headers: Record<string, string> }

function recorder(status = 200, body: unknown = { data: { source: { writeKeys: [creds.writeKey] } } }) {
  const sent: Sent[] = [];
  const log: string[] = [];
  const options: MutationOptions = {
    fetch: async (input, init) => {
      sent.push({ url: String(input), method: init?.method, redirect: init?.redirect, headers: init?.headers as Record<string, string> });
      return new Response(JSON.stringify(body), { status, headers: status >= 300 && status < 400 ? { location: 'https://elsewhere.example/' } : {} });
    },
    token: creds.publicApiToken,
    region: 'eu',
    endpoints: {},
    timeoutMs: 1000,
    log: (line) => log.push(line),
  };
  return { sent, log, options };
}

describe('the write-key mutation path', () => {
  it('is imported by the rotate command and nothing else', () => {
    const importers = files(SRC)
      .filter((f) => f.endsWith('.ts') && /from '[^']*writeKeyMutations\.js'/.test(readFileSync(f, 'utf8')))
      .map((f) => relative(SRC, f));
    expect(importers).toEqual(['commands/rotate.ts']);
  });

  it('exists only with --apply', () => {
    expect(ApplyConsent.fromApplyFlag(false)).toBeUndefined();
    expect(ApplyConsent.fromApplyFlag('true')).toBeUndefined();
    expect(() => writeKeyMutations(undefined as unknown as ApplyConsent, recorder().options)).toThrow(/--apply/);
  });

  it('sends the documented POST and DELETE over HTTPS, v1alpha, without following redirects, and logs them without keys', async () => {
    const { sent, log, options } = recorder();
    const m = writeKeyMutations(ApplyConsent.fromApplyFlag(true)!, options);
    expect(await m.createWriteKey('src_1')).toEqual({ ok: true, writeKeys: [creds.writeKey] });
    expect(await m.removeWriteKey('src_1', creds.legacyWriteKey)).toEqual({ ok: true });
    expect(sent.map((s) => [s.method, s.url, s.redirect, s.headers['accept']])).toEqual([
      ['POST', 'https://eu1.api.segmentapis.com/sources/src_1/writekey', 'manual', V1ALPHA],
      ['DELETE', `https://eu1.api.segmentapis.com/sources/src_1/writekey/${creds.legacyWriteKey}`, 'manual', V1ALPHA],
    ]);
    expect(log).toEqual(['POST /sources/src_1/writekey -> 200', expect.stringMatching(/^DELETE \/sources\/src_1\/writekey\/\S+ -> 200$/)]);
    expect(log.join('\n')).not.toContain(creds.legacyWriteKey);
    expect(log.join('\n')).not.toContain(creds.writeKey);
  });

  it('refuses other paths before sending anything, and reports a redirect instead of following it', async () => {
    const { sent, options } = recorder();
    const m = writeKeyMutations(ApplyConsent.fromApplyFlag(true)!, options);
    expect(await m.createWriteKey('../users')).toMatchObject({ ok: false });
    expect(await m.removeWriteKey('src_1', 'x/../../users')).toMatchObject({ ok: false });
    expect(sent).toEqual([]);
    const redirected = recorder(307);
    const r = await writeKeyMutations(ApplyConsent.fromApplyFlag(true)!, redirected.options).createWriteKey('src_1');
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/answered 307 .*redirects are not followed/) });
    expect(redirected.sent).toHaveLength(1);
  });
});
