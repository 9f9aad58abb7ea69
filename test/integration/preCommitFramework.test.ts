// segscan's hooks through the real pre-commit framework (https://pre-commit.com), as a user gets
// them: a repository whose .pre-commit-config.yaml names segscan at a release tag.
//
// The tag is a release tree (src/build/releaseTree.ts: the built CLI, no scripts, no
// devDependencies) committed to a temporary repository. pre-commit does what it does for any node
// hook: `npm install --include=dev` in its clone (nothing to install but the runtime packages, and
// the tree's .npmrc runs no install script there), `npm pack`, `npm install -g` of the tarball:
// no TypeScript build, no dev dependency, re2 built once. re2's native addon is served from a local
// mirror (re2's own RE2_DOWNLOAD_MIRROR setting, pointed at the addon this checkout already built),
// standing in for the prebuilt download that is not reachable here; its compile is measured
// separately (README, "Installing").
//
// The stage names `pre-commit`/`pre-push` need pre-commit 3.2.0 or later (Debian 12's is 3.0.4;
// .ci/run installs Debian 13's 4.2.0 beside it).
import { execFileSync, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { isolatedGitEnv, makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';
import { envKey } from './support.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
const INSTALL_TIMEOUT_MS = 20 * 60_000;
const MINIMUM = [3, 2, 0];

function preCommitVersion(command: string, environment: NodeJS.ProcessEnv = process.env): number[] | undefined {
  const r = spawnSync(command, ['--version'], { encoding: 'utf8', env: environment });
  const match = r.status === 0 ? /(\d+)\.(\d+)\.(\d+)/.exec(r.stdout) : null;
  return match ? match.slice(1).map(Number) : undefined;
}
const atLeast = (version: number[], minimum: number[]) => {
  for (let i = 0; i < minimum.length; i++) if ((version[i] ?? 0) !== (minimum[i] ?? 0)) return (version[i] ?? 0) > (minimum[i] ?? 0);
  return true;
};
const version = preCommitVersion('pre-commit');
const usable = version !== undefined && atLeast(version, MINIMUM);
/** Debian 12's own pre-commit, as it runs without the PYTHONPATH that .ci/run sets for a newer one. */
const OLD_PRE_COMMIT = '/usr/bin/pre-commit';
const { PYTHONPATH: _newer, ...withoutNewer } = process.env;
const oldVersion = existsSync(OLD_PRE_COMMIT) ? preCommitVersion(OLD_PRE_COMMIT, withoutNewer) : undefined;

let home = '';
let env: NodeJS.ProcessEnv = {};

function run(cwd: string, command: string, args: string[], timeout = 120_000): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout });
}

function git(cwd: string, ...args: string[]): string {
  const r = run(cwd, 'git', args);
  if (r.status !== 0) throw new Error(`git ${args.join(' ')} failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The output a user sees from a git command that runs hooks. */
const shown = (r: SpawnSyncReturns<string>) => `${r.stdout}${r.stderr}`;

/** re2's built addon, gzipped under the name its installer asks a mirror for. */
function re2Mirror(): Record<string, string> {
  const addon = join(dirname(createRequire(import.meta.url).resolve('re2/package.json')), 'build/Release/re2.node');
  const mirror = join(home, 're2-mirror');
  mkdirSync(mirror, { recursive: true });
  writeFileSync(join(mirror, `${process.platform}-${process.arch}-${process.versions.modules}.gz`), gzipSync(readFileSync(addon)));
  return { RE2_DOWNLOAD_MIRROR: mirror, RE2_DOWNLOAD_SKIP_PATH: '1', RE2_DOWNLOAD_SKIP_VER: '1' };
}

/** The release tree of this checkout's build, committed: the "segscan" repository at its tag. */
function segscanRelease(): { path: string; rev: string } {
  const path = join(home, 'segscan');
  execFileSync(process.execPath, [join(PROJECT, 'dist/build/releaseTree.js'), path], { cwd: PROJECT, stdio: 'pipe' });
  git(path, 'init', '-q', '-b', 'main');
  git(path, 'add', '-A');
  git(path, 'commit', '-q', '-m', 'segscan release');
  return { path, rev: git(path, 'rev-parse', 'HEAD') };
}

function hooksConfig(clone: { path: string; rev: string }, hooks: string): string {
  return `repos:\n  - repo: ${clone.path}\n    rev: ${clone.rev}\n    hooks:\n${hooks}`;
}

function userRepo(clone: { path: string; rev: string }, name: string, hooks = '      - id: segscan\n      - id: segscan-push\n      - id: segscan-files\n'): string {
  const dir = join(home, name);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(join(dir, '.pre-commit-config.yaml'), hooksConfig(clone, hooks));
  return dir;
}

// Skipped on a developer machine without pre-commit 3.2.0 or later; in CI (.ci/run installs it) it must run.
describe.skipIf(!usable && !process.env.CI)('hooks through the pre-commit framework', () => {
  let clone: { path: string; rev: string };
  let installOutput = '';

  beforeAll(() => {
    if (!usable) throw new Error(`pre-commit ${version?.join('.') ?? 'is not installed'}: these hooks need ${MINIMUM.join('.')} or later (.ci/run installs it)`);
    home = makeTempDir('segscan-pre-commit-');
    // pre-commit's node environment (nodeenv --node=system) runs `nodejs` from PATH before `node`;
    // on Debian that is the system package's Node, not the one these tests run on.
    const nodeBin = join(home, 'node-bin');
    mkdirSync(nodeBin);
    for (const name of ['node', 'nodejs']) symlinkSync(process.execPath, join(nodeBin, name));
    env = isolatedGitEnv({ PRE_COMMIT_HOME: join(home, 'cache'), PRE_COMMIT_COLOR: 'never', NO_COLOR: '1', PATH: `${nodeBin}:${process.env.PATH ?? ''}` });
    Object.assign(env, re2Mirror());
    clone = segscanRelease();
    const warmup = userRepo(clone, 'warmup');
    const install = run(warmup, 'pre-commit', ['install-hooks'], INSTALL_TIMEOUT_MS);
    installOutput = shown(install);
    if (install.status !== 0) throw new Error(`pre-commit install-hooks failed:\n${installOutput}\n${existsSync(join(home, 'cache/pre-commit.log')) ? readFileSync(join(home, 'cache/pre-commit.log'), 'utf8') : ''}`);
  }, INSTALL_TIMEOUT_MS + 60_000);

  afterAll(removeTempDirs);

  it('installs the built CLI with its runtime packages only, and no warning about stage names', () => {
    expect(installOutput).not.toMatch(/deprecated stage names|minimum_pre_commit_version/i);
    const cache = join(home, 'cache');
    const envs = readdirSync(cache).filter((d) => d.startsWith('repo')).map((d) => join(cache, d, 'node_env-system', 'lib', 'node_modules', 'segscan'));
    const installed = envs.find((dir) => existsSync(dir));
    expect(installed, 'segscan installed in a pre-commit node environment').toBeDefined();
    const packages = readdirSync(join(installed ?? '', 'node_modules'));
    for (const dev of ['typescript', 'vitest', 'esbuild', '@microsoft', 'yargs']) expect(packages).not.toContain(dev);
    expect(packages).toContain('re2');
    expect(existsSync(join(installed ?? '', 'dist/bin.js'))).toBe(true);
    expect(existsSync(join(installed ?? '', 'src/cli.ts'))).toBe(false);
  });

  it('blocks a commit that adds a key, showing it redacted; passes clean and segscan:allow commits', () => {
    const repo = userRepo(clone, 'commits');
    expect(run(repo, 'pre-commit', ['install']).status).toBe(0);
    git(repo, 'add', '.pre-commit-config.yaml');
    const first = run(repo, 'git', ['commit', '-m', 'pre-commit config']);
    expect(first.status, shown(first)).toBe(0);
    const head = git(repo, 'rev-parse', 'HEAD');

    const key = envKey('pre-commit-framework');
    writeFileSync(join(repo, 'settings.env'), `# analytics\n${key.line}`);
    git(repo, 'add', 'settings.env');
    const blocked = run(repo, 'git', ['commit', '-m', 'add settings']);
    expect(blocked.status).not.toBe(0);
    expect(shown(blocked)).toMatch(/segscan \(Segment credentials in staged changes\)\.+Failed/);
    expect(shown(blocked)).toContain('settings.env:2:19');
    expect(shown(blocked)).toContain(redactSecret(key.secret));
    expect(shown(blocked)).not.toContain(key.secret);
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(head);

    writeFileSync(join(repo, 'settings.env'), '# analytics\nSEGMENT_WRITE_KEY=${SEGMENT_WRITE_KEY}\n');
    git(repo, 'add', 'settings.env');
    const clean = run(repo, 'git', ['commit', '-m', 'add settings']);
    expect(clean.status, shown(clean)).toBe(0);
    expect(shown(clean)).toMatch(/segscan \(Segment credentials in staged changes\)\.+Passed/);

    writeFileSync(join(repo, 'fixture.env'), `${key.line.trim()} # segscan:allow (test fixture)\n`);
    git(repo, 'add', 'fixture.env');
    const allowed = run(repo, 'git', ['commit', '-m', 'add fixture']);
    expect(allowed.status, shown(allowed)).toBe(0);
    expect(git(repo, 'log', '--format=%s', '-1')).toBe('add fixture');
  });

  it('pre-push: scans the commits being pushed, not what the remote already has', () => {
    const remote = join(home, 'remote.git');
    git(home, 'init', '-q', '--bare', '-b', 'main', remote);
    const repo = userRepo(clone, 'pushes');
    expect(run(repo, 'pre-commit', ['install', '--hook-type', 'pre-push']).status).toBe(0);
    git(repo, 'remote', 'add', 'origin', remote);
    const old = envKey('pre-push-old');
    writeFileSync(join(repo, 'old.env'), old.line);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'old key');

    // A first push of a root commit: pre-commit gives no range, so all history is scanned.
    const first = run(repo, 'git', ['push', '-q', 'origin', 'main']);
    expect(first.status).not.toBe(0);
    expect(shown(first)).toMatch(/segscan \(Segment credentials in pushed commits\)\.+Failed/);
    expect(shown(first)).toContain(redactSecret(old.secret));
    expect(shown(first)).not.toContain(old.secret);
    expect(run(repo, 'git', ['push', '-q', '--no-verify', 'origin', 'main']).status).toBe(0);

    // The remote already has the old key: a clean commit on top pushes.
    writeFileSync(join(repo, 'README.md'), 'docs\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'docs');
    const clean = run(repo, 'git', ['push', '-q', 'origin', 'main']);
    expect(clean.status, shown(clean)).toBe(0);

    const fresh = envKey('pre-push-new');
    writeFileSync(join(repo, 'new.env'), fresh.line);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'new key');
    const blocked = run(repo, 'git', ['push', '-q', 'origin', 'main']);
    expect(blocked.status).not.toBe(0);
    expect(shown(blocked)).toContain('new.env');
    expect(shown(blocked)).not.toContain('old.env');
    expect(shown(blocked)).not.toContain(fresh.secret);
  });

  it('segscan-files: pre-commit run --all-files blocks a key committed long ago; a files: filter narrows it', () => {
    const repo = userRepo(clone, 'all-files');
    const key = envKey('pre-commit-all-files');
    mkdirSync(join(repo, 'config'));
    writeFileSync(join(repo, 'config/.env'), `# old settings\n${key.line}`);
    writeFileSync(join(repo, 'README.md'), 'docs\n');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'an old key, committed before any hook');

    const all = run(repo, 'pre-commit', ['run', 'segscan-files', '--all-files']);
    expect(all.status, shown(all)).toBe(1);
    expect(shown(all)).toMatch(/segscan \(Segment credentials in files\)\.+Failed/);
    expect(shown(all)).toContain('config/.env:2:19');
    expect(shown(all)).toContain(redactSecret(key.secret));
    expect(shown(all)).not.toContain(key.secret);
    // The staged-changes hook has nothing to say about history already committed: the reason for
    // the files hook.
    const staged = run(repo, 'pre-commit', ['run', 'segscan', '--all-files']);
    expect(staged.status, shown(staged)).toBe(0);

    const filtered = userRepo(clone, 'filtered', '      - id: segscan-files\n        files: ^docs/\n');
    writeFileSync(join(filtered, 'settings.env'), key.line);
    mkdirSync(join(filtered, 'docs'));
    writeFileSync(join(filtered, 'docs/guide.md'), 'a guide\n');
    git(filtered, 'add', '-A');
    git(filtered, 'commit', '-q', '-m', 'a key outside the filter');
    const narrowed = run(filtered, 'pre-commit', ['run', '--all-files']);
    expect(narrowed.status, shown(narrowed)).toBe(0);
    expect(shown(narrowed)).toMatch(/segscan \(Segment credentials in files\)\.+Passed/);
  });
});

describe.skipIf(oldVersion === undefined || atLeast(oldVersion, MINIMUM))(`Debian 12's pre-commit ${oldVersion?.join('.') ?? ''}`, () => {
  afterAll(removeTempDirs);

  it('stops before installing anything, naming the stage it does not know', () => {
    home = makeTempDir('segscan-pre-commit-old-');
    env = { ...isolatedGitEnv({ PRE_COMMIT_HOME: join(home, 'cache-old'), PRE_COMMIT_COLOR: 'never' }), PYTHONPATH: '' };
    const manifest = join(home, 'old-manifest');
    mkdirSync(manifest, { recursive: true });
    writeFileSync(join(manifest, 'package.json'), '{"name":"x","version":"0.0.0"}\n');
    writeFileSync(join(manifest, '.pre-commit-hooks.yaml'), readFileSync(join(PROJECT, '.pre-commit-hooks.yaml')));
    git(manifest, 'init', '-q', '-b', 'main');
    git(manifest, 'add', '-A');
    git(manifest, 'commit', '-q', '-m', 'manifest');
    const repo = userRepo({ path: manifest, rev: git(manifest, 'rev-parse', 'HEAD') }, 'old-pre-commit');
    const r = run(repo, OLD_PRE_COMMIT, ['run', '--all-files']);
    expect(r.status).not.toBe(0);
    // 3.0.4 checks the stage names before minimum_pre_commit_version, so this is its message.
    expect(shown(r)).toMatch(/InvalidManifestError[\s\S]*At key: stages[\s\S]*got: 'pre-commit'/);
  });
});
