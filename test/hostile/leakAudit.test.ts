// The secret-leak audit: one run of every command and format over a tree holding every credential
// kind (plus secrets hidden in a commit's subject and author and in a remote URL), collecting
// stdout, stderr and every file segscan writes, then checking that no full secret appears anywhere
// unless --no-redact was given.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { BIN, runCli } from '../helpers/cli.js';
import { expandFixtureTree } from '../helpers/fixtureTree.js';
import { createTestRepo, makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';
import { leakedSecrets, startFakeSegment, type FakeSegment } from '../verify/fakeSegment.js';
import { cleanupTemp, hostileTemp, runBinary } from './support.js';

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
/** Secrets that live outside files: in a remote URL (and in commit metadata and argv). */
const outside = fakeCredentials('hostile-audit-outside');

let fake: FakeSegment;
let endpointArgs: string[];
beforeAll(async () => {
  fake = await startFakeSegment();
  endpointArgs = Object.entries(fake.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
});
const expandedRoots: string[] = [];
afterAll(async () => {
  for (const root of expandedRoots) rmSync(root, { recursive: true, force: true });
  await fake.close();
  cleanupTemp();
  removeTempDirs();
});

/** Every file under a directory (for reports, baselines and configs segscan wrote). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

it('no command, format, log, error or written file shows a full secret unless --no-redact is given', async () => {
  const tree = expandFixtureTree('rules/every-kind', 'hostile-audit');
  expandedRoots.push(tree.root);
  const secrets = [...tree.generated.filter((s) => s.length >= 10), outside.publicApiToken, outside.writeKey, outside.sgKey];
  // Some keys are live on the fake Segment, so verification details (workspace names) show too.
  const fileKeys = tree.generated.filter((s) => /^[A-Za-z0-9]{32}$/.test(s));
  for (const key of fileKeys.slice(0, 3)) fake.liveWriteKeys.add(key);
  for (const token of tree.generated.filter((s) => s.startsWith('sgp_'))) fake.usTokens.add(token);

  const outputs: Array<{ label: string; text: string }> = [];
  const out = hostileTemp('audit-out');
  const cli = async (label: string, argv: string[], options: Parameters<typeof runCli>[1] = {}) => {
    const r = await runCli(argv, options);
    outputs.push({ label: `${label} stdout`, text: r.stdout }, { label: `${label} stderr`, text: r.stderr });
    return r;
  };
  const bin = (label: string, argv: string[], options: Parameters<typeof runBinary>[1] = {}) => {
    const r = runBinary(argv, options);
    outputs.push({ label: `${label} stdout`, text: r.stdout }, { label: `${label} stderr`, text: r.stderr });
    return r;
  };

  // Directory scans: every format to stdout and to a file, verbose, quiet, and with verification.
  for (const format of FORMATS) {
    expect((await cli(`dir ${format}`, ['dir', tree.root, '--format', format])).exitCode).toBe(1);
    await cli(`dir ${format} --output`, ['dir', tree.root, '--format', format, '--output', join(out, `dir.${format}`), '--verbose']);
    await cli(`dir ${format} --verify`, ['dir', tree.root, '--format', format, '--verify', '--verbose', ...endpointArgs]);
  }
  await cli('dir quiet', ['dir', tree.root, '--quiet']);

  // Standard input.
  for (const name of ['.env', 'config.json', 'requests/track.http', 'infra/main.tf']) {
    for (const format of FORMATS) await cli(`stdin ${name} ${format}`, ['stdin', '--path', name, '--format', format, '--verbose'], { stdin: readFileSync(join(tree.root, name)) });
  }

  // History, with a hostile commit and remote, and the staged changes of a second repository.
  const repo = createTestRepo();
  cpSync(tree.root, repo.dir, { recursive: true });
  repo.commit('add the app');
  repo.git(['remote', 'add', 'origin', `https://deploy:${outside.sgKey}@git.example.com/acme/app.git`]);
  for (const format of FORMATS) {
    expect((await cli(`git ${format}`, ['git', repo.dir, '--format', format, '--verbose'])).exitCode).toBe(1);
    await cli(`git ${format} --output`, ['git', repo.dir, '--format', format, '--output', join(out, `git.${format}`)]);
  }
  await cli('git --verify', ['git', repo.dir, '--format', 'json', '--verify', ...endpointArgs]);
  const stagedRepo = createTestRepo();
  stagedRepo.write('README.md', 'start\n');
  stagedRepo.commit('start');
  cpSync(tree.root, stagedRepo.dir, { recursive: true });
  stagedRepo.stage('.');
  for (const format of FORMATS) expect((await cli(`staged ${format}`, ['staged', stagedRepo.dir, '--format', format, '--verbose'])).exitCode).toBe(1);

  // Baselines, and scans against them (stale entries are listed).
  if (/\bbaseline\b/.test((await runCli(['--help'])).stdout)) {
    await cli('baseline dir', ['baseline', 'dir', tree.root, '--output', join(out, 'baseline-dir.json')]);
    await cli('baseline git', ['baseline', 'git', repo.dir, '--output', join(out, 'baseline-git.json')]);
    await cli('baseline staged', ['baseline', 'staged', stagedRepo.dir, '--output', join(out, 'baseline-staged.json')]);
    for (const format of FORMATS) await cli(`dir with baseline ${format}`, ['dir', repo.dir, '--format', format, '--baseline', join(out, 'baseline-dir.json')]);
    await cli('baseline from a secret file', ['dir', tree.root, '--baseline', join(tree.root, '.env')]);
  }

  // Errors: a scan that fails part way (its partial report), a config and rules that cite secrets,
  // a key where a size or a kind is expected.
  const broken = createTestRepo();
  cpSync(tree.root, broken.dir, { recursive: true });
  broken.commit('all');
  broken.write('later.txt', 'later\n');
  const later = broken.commit('later');
  const blob = broken.git(['rev-parse', `${later}:later.txt`]).trim();
  unlinkSync(join(broken.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)));
  for (const format of FORMATS) {
    expect(bin(`broken git ${format}`, ['git', broken.dir, '--format', format, '--output', join(out, `broken.${format}`)]).exitCode).toBe(2);
  }
  const badConfig = join(makeTempDir('segscan-audit-config-'), 'bad-config.yaml');
  writeFileSync(badConfig, `exclude: ${outside.publicApiToken}\nmaxFileSize: [${outside.writeKey}\n`);
  await cli('invalid YAML config', ['dir', tree.root, '--config', badConfig]);
  writeFileSync(badConfig, `exclude: ${outside.publicApiToken}\n`);
  await cli('config with a key as a list', ['dir', tree.root, '--config', badConfig]);
  await cli('--config pointing at .env', ['dir', tree.root, '--config', join(tree.root, '.env')]);
  const badRules = makeTempDir('segscan-audit-rules-');
  writeFileSync(join(badRules, 'bad.yaml'), `id: leaky\npattern: '(?=${outside.sgKey})'\nkeywords: [${outside.writeKey}]\n`);
  await cli('rule file citing keys', ['rules', 'list', '--rules', badRules]);
  writeFileSync(join(badRules, 'bad.yaml'), `id: leaky\ntitle: x ${outside.sgKey}: [\n`);
  await cli('rule file with a key on a YAML error line', ['rules', 'list', '--rules', badRules]);

  // Rules and verify-key.
  await cli('rules list', ['rules', 'list']);
  await cli('rules test', ['rules', 'test']);
  for (const secret of [...fileKeys.slice(0, 5), ...tree.generated.filter((s) => /^(sgp_|sg_)/.test(s) || /^[\w-]{43}\.[\w-]{43}$/.test(s))]) {
    await cli('verify-key stdin', ['verify-key', ...endpointArgs], { stdin: `${secret}\n` });
    await cli('verify-key env', ['verify-key', '--from-env', 'KEY', ...endpointArgs], { env: { KEY: secret } });
  }
  await cli('verify-key of a whole .env', ['verify-key', ...endpointArgs], { stdin: readFileSync(join(tree.root, '.env')) });

  // Set-up commands, where this build has them.
  const help = (await runCli(['--help'])).stdout;
  if (/\binit\b/.test(help)) await cli('init', ['init', makeTempDir('segscan-audit-init-')]);
  if (/install-hook/.test(help)) await cli('install-hook', ['install-hook', repo.dir]);

  // Progress output needs a terminal: run under script(1), which gives segscan a pseudo-terminal.
  for (const [label, args] of [['tty dir', ['dir', tree.root]], ['tty git', ['git', repo.dir]]] as const) {
    const command = [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' ');
    const tty = spawnSync('script', ['-qfec', command, '/dev/null'], { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', TERM: 'xterm' } });
    expect(tty.stdout).toMatch(/segscan \d+ (files|blobs)/); // the progress line was drawn
    outputs.push({ label: `${label} terminal`, text: tty.stdout + tty.stderr });
  }

  // Everything segscan wrote.
  for (const file of filesUnder(out)) outputs.push({ label: `file ${file}`, text: readFileSync(file, 'utf8') });
  for (const hook of ['pre-commit', 'pre-push']) {
    const path = join(repo.dir, '.git', 'hooks', hook);
    if (existsSync(path)) outputs.push({ label: `hook ${hook}`, text: readFileSync(path, 'utf8') });
  }

  expect(outputs.length).toBeGreaterThan(150);
  const leaks = outputs.flatMap(({ label, text }) => leakedSecrets(text, secrets).map((secret) => `${label}: ${secret.slice(0, 8)}…`));
  expect(leaks).toEqual([]);

  // The check can fail: with --no-redact the same secrets are there to see.
  const unredacted = await runCli(['dir', tree.root, '--format', 'json', '--no-redact']);
  expect(leakedSecrets(unredacted.stdout, secrets).length).toBeGreaterThan(20);
}, 180_000);

it('a secret in a commit subject or author name is redacted in git reports even when no scanned file holds it', async () => {
  // Only finding secrets are scrubbed from commit metadata today; "rotate sgp_… after the leak" is printed as is.
  const repo = createTestRepo();
  repo.write('.env', `SEGMENT_WRITE_KEY=${fakeCredentials('hostile-audit-subject').writeKey}\n`);
  repo.commit(`rotate ${outside.publicApiToken} after the leak`, { author: { name: `bot ${outside.writeKey}`, email: 'bot@example.com' } });
  const leaks: string[] = [];
  for (const format of FORMATS) {
    const r = await runCli(['git', repo.dir, '--format', format]);
    expect(r.exitCode).toBe(1);
    leaks.push(...leakedSecrets(r.stdout + r.stderr, [outside.publicApiToken, outside.writeKey]).map((s) => `${format}: ${s.slice(0, 8)}…`));
  }
  expect(leaks).toEqual([]);
  // The check can fail: with --no-redact the subject is shown as written.
  const unredacted = await runCli(['git', repo.dir, '--format', 'json', '--no-redact']);
  expect(leakedSecrets(unredacted.stdout, [outside.publicApiToken])).toEqual([outside.publicApiToken]);
});

it('a key pasted as the value of an option with fixed choices (verify-key --kind) is not echoed in the usage error', async () => {
  // yargs rejects the value before segscan sees it and quotes it: "Given: "sgp_…", Choices: …".
  const r = await runCli(['verify-key', '--kind', outside.publicApiToken], { stdin: `${outside.writeKey}\n` });
  expect(r.exitCode).toBe(2);
  expect(leakedSecrets(r.stdout + r.stderr, [outside.publicApiToken, outside.writeKey])).toEqual([]);
  const format = await runCli(['dir', '.', '--format', outside.sgKey]);
  expect(format.exitCode).toBe(2);
  expect(leakedSecrets(format.stdout + format.stderr, [outside.sgKey])).toEqual([]);
});
