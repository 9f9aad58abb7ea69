// segscan's hooks through the real pre-commit framework (https://pre-commit.com), as a user gets
// them: a repository whose .pre-commit-config.yaml names a clone of segscan at a commit.
//
// The clone is a snapshot of this working tree committed to a temporary repository (pre-commit
// needs a committed rev). pre-commit then does what it does for any node hook: `npm install` in
// the clone (which builds segscan through `prepare`), `npm pack`, `npm install -g` of the tarball.
// Installing takes about a minute. re2's native addon is served from a local mirror (re2's own
// RE2_DOWNLOAD_MIRROR setting, pointed at the addon this checkout already built): without it the
// two installs each compile re2 from source, 7 to 9 minutes on a 2-core machine.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { isolatedGitEnv, makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';
import { envKey } from './support.js';

const PROJECT = fileURLToPath(new URL('../../', import.meta.url));
/** What a clone of segscan holds that installing it needs (no node_modules, no dist). */
const SNAPSHOT = ['package.json', 'package-lock.json', 'tsconfig.json', '.npmrc', '.pre-commit-hooks.yaml', 'README.md', 'src', 'rules'];
const INSTALL_TIMEOUT_MS = 20 * 60_000;

const hasPreCommit = spawnSync('pre-commit', ['--version'], { encoding: 'utf8' }).status === 0;

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
  try {
    const addon = join(dirname(createRequire(import.meta.url).resolve('re2/package.json')), 'build/Release/re2.node');
    if (!existsSync(addon)) return {};
    const mirror = join(home, 're2-mirror');
    mkdirSync(mirror, { recursive: true });
    writeFileSync(join(mirror, `${process.platform}-${process.arch}-${process.versions.modules}.gz`), gzipSync(readFileSync(addon)));
    return { RE2_DOWNLOAD_MIRROR: mirror, RE2_DOWNLOAD_SKIP_PATH: '1', RE2_DOWNLOAD_SKIP_VER: '1' };
  } catch {
    return {};
  }
}

/** A committed snapshot of this working tree: the "segscan" repository the config points at. */
function segscanClone(): { path: string; rev: string } {
  const path = join(home, 'segscan');
  mkdirSync(path);
  for (const entry of SNAPSHOT) {
    if (existsSync(join(PROJECT, entry))) cpSync(join(PROJECT, entry), join(path, entry), { recursive: true });
  }
  git(path, 'init', '-q', '-b', 'main');
  git(path, 'add', '-A');
  git(path, 'commit', '-q', '-m', 'snapshot');
  return { path, rev: git(path, 'rev-parse', 'HEAD') };
}

function userRepo(clone: { path: string; rev: string }, name: string): string {
  const dir = join(home, name);
  mkdirSync(dir);
  git(dir, 'init', '-q', '-b', 'main');
  writeFileSync(
    join(dir, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${clone.path}\n    rev: ${clone.rev}\n    hooks:\n      - id: segscan\n      - id: segscan-push\n`,
  );
  return dir;
}

// Skipped on a developer machine without the framework; in CI (.ci/run installs it) it must run.
describe.skipIf(!hasPreCommit && !process.env.CI)('hooks through the pre-commit framework', () => {
  let clone: { path: string; rev: string };

  beforeAll(() => {
    home = makeTempDir('segscan-pre-commit-');
    env = isolatedGitEnv({ PRE_COMMIT_HOME: join(home, 'cache'), PRE_COMMIT_COLOR: 'never', NO_COLOR: '1' });
    Object.assign(env, re2Mirror());
    clone = segscanClone();
    const warmup = userRepo(clone, 'warmup');
    const install = run(warmup, 'pre-commit', ['install-hooks'], INSTALL_TIMEOUT_MS);
    if (install.status !== 0) throw new Error(`pre-commit install-hooks failed:\n${shown(install)}\n${existsSync(join(home, 'cache/pre-commit.log')) ? readFileSync(join(home, 'cache/pre-commit.log'), 'utf8') : ''}`);
  }, INSTALL_TIMEOUT_MS + 60_000);

  afterAll(removeTempDirs);

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
});
