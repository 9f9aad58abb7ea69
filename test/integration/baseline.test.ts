// Baselines: record today's findings, then report only new ones and list entries that match
// nothing any more. The file holds identities only (rule, secret hash, path).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/fingerprint.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';
import { envKey, expectOneLineError, makeTree, parseReport, removeTrees, writeTree } from './support.js';

afterAll(() => {
  removeTrees();
  removeTempDirs();
});

const one = envKey('baseline-one');
const two = envKey('baseline-two');
const three = envKey('baseline-three');

async function json(argv: string[], cwd: string) {
  const result = await runCli([...argv, '--format', 'json'], { cwd });
  return { result, report: parseReport(result) };
}

describe('segscan baseline dir: the round trip', () => {
  it('create; scan: nothing new; add a key: exactly one new finding; remove a key: one stale entry', async () => {
    const tree = makeTree({ 'services/api/.env': `# api\n${one.line}`, 'services/web/.env': two.line });

    const created = await runCli(['baseline', 'dir', '.'], { cwd: tree });
    expect(created.exitCode).toBe(0);
    expect(created.stderr).toBe('segscan: 2 baseline entries (from 2 findings) written to .segscan-baseline.json\n');
    const file = join(tree, '.segscan-baseline.json');
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text)).toEqual({
      version: 1,
      entries: [
        { path: 'services/api/.env', ruleId: 'segment-credential-variable', secretHash: sha256Hex(one.secret) },
        { path: 'services/web/.env', ruleId: 'segment-credential-variable', secretHash: sha256Hex(two.secret) },
      ],
    });
    for (const secret of [one.secret, two.secret]) expect(text).not.toContain(secret);
    expect(text).not.toMatch(/line|column|date|time/i);

    const unchanged = await json(['dir', '.', '--baseline', '.segscan-baseline.json'], tree);
    expect(unchanged.result.exitCode).toBe(0);
    expect(unchanged.report.findings).toEqual([]);
    expect(unchanged.report.staleBaseline).toEqual([]);

    writeTree(tree, { 'services/worker/.env': three.line });
    const added = await json(['dir', '.', '--baseline', '.segscan-baseline.json'], tree);
    expect(added.result.exitCode).toBe(1);
    expect(added.report.findings.map((f) => [f.path, f.secretHash])).toEqual([['services/worker/.env', sha256Hex(three.secret)]]);

    writeTree(tree, { 'services/web/.env': 'SEGMENT_WRITE_KEY=\n' });
    const removed = await json(['dir', '.', '--baseline', '.segscan-baseline.json'], tree);
    expect(removed.report.findings.map((f) => f.path)).toEqual(['services/worker/.env']);
    expect(removed.report.staleBaseline).toHaveLength(1);
    expect(removed.report.staleBaseline?.[0]).toMatch(/^services\/web\/\.env: segment-credential-variable \(fingerprint [0-9a-f]{32}\)$/);

    const text2 = await runCli(['dir', '.', '--baseline', '.segscan-baseline.json'], { cwd: tree });
    expect(text2.stdout).toContain('Stale baseline entries');
    expect(text2.stdout).toContain('services/web/.env: segment-credential-variable');
  });

  it('a scan of some files, not a directory, lists no stale entries', async () => {
    const tree = makeTree({ 'a/.env': one.line, 'b/.env': two.line });
    await runCli(['baseline', 'dir', '.'], { cwd: tree });
    const some = await json(['dir', 'a/.env', '--baseline', '.segscan-baseline.json'], tree);
    expect(some.report.findings).toEqual([]);
    expect(some.report.staleBaseline).toBeUndefined();
  });

  it('does not change when lines move, and regenerating an unchanged tree gives the same bytes', async () => {
    const tree = makeTree({ 'b/.env': one.line, 'a/.env': two.line });
    await runCli(['baseline', 'dir', '.', '--output', 'first.json'], { cwd: tree });
    writeTree(tree, { 'b/.env': `# moved down\n\n\n${one.line}` });
    const moved = await json(['dir', '.', '--baseline', 'first.json', '--exclude', '*.json'], tree);
    expect(moved.report.findings).toEqual([]);
    await runCli(['baseline', 'dir', '.', '--output', 'second.json', '--exclude', '*.json'], { cwd: tree });
    expect(readFileSync(join(tree, 'second.json'), 'utf8')).toBe(readFileSync(join(tree, 'first.json'), 'utf8'));
  });

  it('records the same key in one file once, and a key in two files twice', async () => {
    const tree = makeTree({ '.env': `${one.line}${one.line}`, 'copy/.env': one.line });
    await runCli(['baseline', 'dir', '.'], { cwd: tree });
    const entries = (JSON.parse(readFileSync(join(tree, '.segscan-baseline.json'), 'utf8')) as { entries: Array<{ path: string }> }).entries;
    expect(entries.map((e) => e.path)).toEqual(['.env', 'copy/.env']);
  });

  it('records what a scan with the same config would report (config settings apply)', async () => {
    const tree = makeTree({ '.segscan.yaml': 'maxFileSize: 100\ninlineIgnores: false\n', 'big.env': `${'#'.repeat(200)}\n${one.line}`, 'allowed.env': `${two.line.trim()} # segscan:allow\n` });
    const created = await runCli(['baseline', 'dir', '.'], { cwd: tree });
    expect(created.stderr).toContain('1 baseline entry');
    const entries = (JSON.parse(readFileSync(join(tree, '.segscan-baseline.json'), 'utf8')) as { entries: Array<{ path: string }> }).entries;
    expect(entries.map((e) => e.path)).toEqual(['allowed.env']);
    const typed = await runCli(['baseline', 'dir', '.', '--max-file-size', '1MiB', '--output', 'typed.json'], { cwd: tree });
    expect(typed.stderr).toContain('2 baseline entries');
  });

  it('is used from the config file (baseline:, relative to it)', async () => {
    const tree = makeTree({ 'app/.env': one.line });
    await runCli(['baseline', 'dir', '.', '--output', 'accepted.json'], { cwd: tree });
    writeTree(tree, { '.segscan.yaml': 'baseline: accepted.json\n' });
    const sub = join(tree, 'app');
    expect((await json(['dir', '.', '--no-config'], tree)).report.findings).toHaveLength(1);
    const viaConfig = await json(['dir', tree], sub);
    expect(viaConfig.result.exitCode).toBe(0);
    expect(viaConfig.report.findings).toEqual([]);
    expect((await json(['dir', tree, '--no-baseline'], sub)).report.findings).toHaveLength(1);
  });

  it('applies to every output format, and the exit code counts only new findings', async () => {
    const tree = makeTree({ '.env': one.line });
    await runCli(['baseline', 'dir', '.'], { cwd: tree });
    for (const format of ['text', 'json', 'sarif', 'github']) {
      const r = await runCli(['dir', '.', '--baseline', '.segscan-baseline.json', '--format', format], { cwd: tree });
      expect(r.exitCode, format).toBe(0);
    }
  });
});

describe('baselines of history and staged scans', () => {
  it('segscan baseline git; a later history scan reports only keys added since', async () => {
    const repo = createTestRepo();
    repo.write('.env', one.line);
    repo.commit('first key');
    repo.remove('.env');
    repo.commit('remove it');
    const created = await runCli(['baseline', 'git', '.', '--output', 'history-baseline.json'], { cwd: repo.dir });
    expect(created.exitCode, created.stderr).toBe(0);
    expect(created.stderr).toContain('1 baseline entry');

    const clean = await json(['git', '.', '--baseline', 'history-baseline.json'], repo.dir);
    expect(clean.result.exitCode).toBe(0);
    expect(clean.report.staleBaseline).toEqual([]);

    repo.write('deploy/.env', two.line);
    const newKey = repo.commit('second key');
    const after = await json(['git', '.', '--baseline', 'history-baseline.json'], repo.dir);
    expect(after.report.findings.map((f) => [f.path, f.commit?.sha])).toEqual([['deploy/.env', newKey]]);
  });

  it('a range scan lists no stale entries: it sees only part of the history', async () => {
    const repo = createTestRepo();
    repo.write('.env', one.line);
    const base = repo.commit('key');
    await runCli(['baseline', 'git', '.'], { cwd: repo.dir });
    repo.write('README.md', 'docs\n');
    const head = repo.commit('docs');
    const range = await json(['git', '.', '--range', `${base}..${head}`, '--baseline', '.segscan-baseline.json'], repo.dir);
    expect(range.result.exitCode).toBe(0);
    expect(range.report.staleBaseline).toBeUndefined();
  });

  it('a staged scan filters through the baseline and lists no stale entries', async () => {
    const repo = createTestRepo();
    repo.write('README.md', 'x\n');
    repo.commit('initial');
    repo.write('.env', one.line);
    repo.stage('.env');
    await runCli(['baseline', 'staged', '.', '--output', '../staged-baseline.json'], { cwd: repo.dir });
    const accepted = await json(['staged', '.', '--baseline', '../staged-baseline.json'], repo.dir);
    expect(accepted.result.exitCode).toBe(0);
    expect(accepted.report.staleBaseline).toBeUndefined();
    repo.write('other.env', two.line);
    repo.stage('other.env');
    const fresh = await json(['staged', '.', '--baseline', '../staged-baseline.json'], repo.dir);
    expect(fresh.report.findings.map((f) => f.path)).toEqual(['other.env']);
  });
});

describe('a broken baseline: exit 2, one line, never its content', () => {
  const secret = fakeCredentials('baseline-broken').publicApiToken;
  const valid = { path: '.env', ruleId: 'segment-credential-variable', secretHash: sha256Hex(secret) };
  const cases: Array<[string, string, string]> = [
    ['not JSON (a pasted key)', `{"version": 1, "entries": [ ${secret} ]}`, 'not valid JSON'],
    ['truncated', '{"version": 1,\n"entries": [\n', 'not valid JSON'],
    ['another version', JSON.stringify({ version: 2, entries: [] }), 'unsupported version (this segscan reads version 1)'],
    ['no entries', JSON.stringify({ version: 1 }), "the top level is missing 'entries'"],
    ['a raw secret instead of its hash', JSON.stringify({ version: 1, entries: [{ ...valid, secretHash: secret }] }), 'entries[0].secretHash must be 64 lower-case hex characters'],
    ['an entry without a path', JSON.stringify({ version: 1, entries: [{ ruleId: valid.ruleId, secretHash: valid.secretHash }] }), "entries[0] is missing 'path'"],
    ['an unknown field holding a secret', JSON.stringify({ version: 1, entries: [{ ...valid, [secret]: secret }] }), 'entries[0] has an unknown field'],
    ['a bad rule id', JSON.stringify({ version: 1, entries: [valid, { ...valid, ruleId: 'Not An Id' }] }), 'entries[1].ruleId must be a rule id'],
    ['entries not a list', JSON.stringify({ version: 1, entries: {} }), 'entries must be array'],
  ];

  it.each(cases)('%s', async (_name, content, message) => {
    const tree = makeTree({ '.env': one.line, 'baseline.json': content });
    const line = expectOneLineError(await runCli(['dir', '.', '--baseline', 'baseline.json'], { cwd: tree }), 'baseline baseline.json: ', message);
    expect(line).not.toContain(secret);
    expect(line).toContain('regenerate it with segscan baseline');
  });

  it('a missing file says how to create one', async () => {
    const tree = makeTree({ '.env': one.line });
    expectOneLineError(await runCli(['dir', '.', '--baseline', 'nope.json'], { cwd: tree }), 'baseline file not found: nope.json', 'segscan baseline');
  });

  it('fails before scanning: a history scan does not start with a broken baseline', async () => {
    const repo = createTestRepo();
    writeFileSync(join(repo.dir, 'b.json'), '{');
    const result = await runCli(['git', '.', '--baseline', 'b.json', '--verbose'], { cwd: repo.dir });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).not.toContain('rules loaded');
  });
});
