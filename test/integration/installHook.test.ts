// `segscan install-hook`: plain git hooks, exercised with real `git commit` and `git push`. The
// hooks call `segscan` from PATH (here a shim running the built dist/bin.js), or the project's
// node_modules/.bin/segscan.
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hookScript } from '../../src/commands/installHook.js';
import { redactSecret } from '../../src/engine/redact.js';
import { BIN, runCli } from '../helpers/cli.js';
import { createTestRepo, isolatedGitEnv, makeTempDir, removeTempDirs, type TestRepo } from '../helpers/gitRepo.js';
import { envKey, expectOneLineError } from './support.js';

let shimDir = '';
let systemPath = '';

beforeAll(() => {
  if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (npm test does)`);
  shimDir = makeTempDir('segscan-shim-');
  writeFileSync(join(shimDir, 'segscan'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(shimDir, 'segscan'), 0o755);
  // git and sh, but no segscan: the directories of the tools the hooks need.
  systemPath = ['/usr/local/bin', '/usr/bin', '/bin'].join(delimiter);
});
afterAll(removeTempDirs);

function gitWithHooks(repo: TestRepo, args: string[], path = `${shimDir}${delimiter}${systemPath}`): SpawnSyncReturns<string> {
  // Unlike repo.git(), this runs hooks (no --no-verify) and the hooks see only this PATH.
  return spawnSync('git', args, { cwd: repo.dir, env: isolatedGitEnv({ PATH: path }), encoding: 'utf8', timeout: 60_000 });
}
const shown = (r: SpawnSyncReturns<string>) => `${r.stdout}${r.stderr}`;

async function install(repo: TestRepo, ...flags: string[]) {
  return runCli(['install-hook', ...flags], { cwd: repo.dir });
}

function newRepo(): TestRepo {
  const repo = createTestRepo();
  repo.write('README.md', 'hello\n');
  repo.commit('initial');
  return repo;
}

describe('segscan install-hook (pre-commit)', () => {
  it('installs an executable hook that blocks a key (redacted) and lets clean and segscan:allow commits through', async () => {
    const repo = newRepo();
    const result = await install(repo);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('.git/hooks/pre-commit');
    const hook = join(repo.dir, '.git/hooks/pre-commit');
    expect(statSync(hook).mode & 0o111).not.toBe(0);

    const head = repo.rev();
    const key = envKey('install-hook');
    repo.write('config/.env', `# service\n${key.line}`);
    repo.stage('config/.env');
    const blocked = gitWithHooks(repo, ['commit', '-m', 'add env']);
    expect(blocked.status).toBe(1);
    expect(shown(blocked)).toContain('config/.env:2:19');
    expect(shown(blocked)).toContain(redactSecret(key.secret));
    expect(shown(blocked)).not.toContain(key.secret);
    expect(repo.rev()).toBe(head);

    repo.write('config/.env', '# service\nSEGMENT_WRITE_KEY=\n');
    repo.stage('config/.env');
    const clean = gitWithHooks(repo, ['commit', '-m', 'add env']);
    expect(clean.status, shown(clean)).toBe(0);
    expect(shown(clean)).not.toContain('finding');

    repo.write('test/fixture.env', `${key.line.trim()}  # segscan:allow\n`);
    repo.stage('test/fixture.env');
    const allowed = gitWithHooks(repo, ['commit', '-m', 'fixture']);
    expect(allowed.status, shown(allowed)).toBe(0);
    expect(repo.git(['log', '-1', '--format=%s']).trim()).toBe('fixture');
  });

  it('uses node_modules/.bin/segscan when segscan is not on PATH, and fails closed when there is none', async () => {
    const repo = newRepo();
    await install(repo);
    repo.write('a.env', envKey('local-bin').line);
    repo.stage('a.env');
    const missing = gitWithHooks(repo, ['commit', '-m', 'x'], systemPath);
    expect(missing.status).not.toBe(0);
    expect(missing.stderr).toContain('segscan: not found on PATH or in node_modules/.bin');
    mkdirSync(join(repo.dir, 'node_modules/.bin'), { recursive: true });
    writeFileSync(join(repo.dir, 'node_modules/.bin/segscan'), readFileSync(join(shimDir, 'segscan')));
    chmodSync(join(repo.dir, 'node_modules/.bin/segscan'), 0o755);
    const local = gitWithHooks(repo, ['commit', '-m', 'x'], systemPath);
    expect(local.status).toBe(1);
    expect(shown(local)).toContain('a.env:1:19');
  });

  it('never replaces an existing hook without --force', async () => {
    const repo = newRepo();
    const hook = join(repo.dir, '.git/hooks/pre-commit');
    writeFileSync(hook, '#!/bin/sh\necho mine\n', { mode: 0o755 });
    expectOneLineError(await install(repo), '.git/hooks/pre-commit already exists; pass --force');
    expect(readFileSync(hook, 'utf8')).toBe('#!/bin/sh\necho mine\n');
    const forced = await install(repo, '--force');
    expect(forced.exitCode).toBe(0);
    expect(readFileSync(hook, 'utf8')).toBe(hookScript('pre-commit'));
    const again = await install(repo);
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('already installed');
  });

  it('installs into core.hooksPath (relative to the work tree) and git runs it from there', async () => {
    const repo = newRepo();
    repo.git(['config', 'core.hooksPath', '.githooks']);
    mkdirSync(join(repo.dir, 'src'));
    const result = await runCli(['install-hook'], { cwd: join(repo.dir, 'src') });
    expect(result.exitCode).toBe(0);
    expect(existsSync(join(repo.dir, '.githooks/pre-commit'))).toBe(true);
    expect(existsSync(join(repo.dir, '.git/hooks/pre-commit'))).toBe(false);
    repo.write('src/.env', envKey('hooks-path').line);
    repo.stage('src/.env');
    const blocked = gitWithHooks(repo, ['commit', '-m', 'x']);
    expect(blocked.status).toBe(1);
    expect(shown(blocked)).toContain('src/.env:1:19');
  });

  it('names a path that is not a repository in one line', async () => {
    const dir = makeTempDir('segscan-not-repo-');
    expectOneLineError(await runCli(['install-hook'], { cwd: dir }), 'not a git repository');
  });
});

describe('segscan install-hook --pre-push', () => {
  function withRemote(): { repo: TestRepo; remote: TestRepo } {
    const remote = createTestRepo({ bare: true });
    const repo = newRepo();
    repo.git(['remote', 'add', 'origin', remote.dir]);
    return { repo, remote };
  }

  it('blocks a push whose new commits add a key; history the remote already has is not rescanned', async () => {
    const { repo } = withRemote();
    const old = envKey('push-old');
    repo.write('old.env', old.line);
    repo.commit('old key');
    expect(repo.git(['push', '-q', 'origin', 'main'])).toBe('');
    expect((await install(repo, '--pre-push')).exitCode).toBe(0);
    expect(existsSync(join(repo.dir, '.git/hooks/pre-push'))).toBe(true);

    repo.write('docs.md', 'docs\n');
    repo.commit('docs');
    const clean = gitWithHooks(repo, ['push', '-q', 'origin', 'main']);
    expect(clean.status, shown(clean)).toBe(0);
    // Silent when clean, like the pre-commit hook (it used to print the scan's summary line).
    expect(shown(clean)).toBe('');

    const fresh = envKey('push-new');
    repo.write('new.env', fresh.line);
    repo.commit('new key');
    repo.write('more.md', 'more\n');
    repo.commit('more docs');
    const blocked = gitWithHooks(repo, ['push', '-q', 'origin', 'main']);
    expect(blocked.status).not.toBe(0);
    expect(shown(blocked)).toContain('new.env:1:19');
    expect(shown(blocked)).not.toContain('old.env');
    expect(shown(blocked)).not.toContain(fresh.secret);
    expect(shown(blocked)).toContain(redactSecret(fresh.secret));
  });

  it('scans only the new commits of a new branch, and all of a new root', async () => {
    const { repo } = withRemote();
    repo.write('old.env', envKey('branch-old').line);
    repo.commit('old key');
    repo.git(['push', '-q', 'origin', 'main']);
    await install(repo, '--pre-push');

    repo.git(['checkout', '-q', '-b', 'feature']);
    repo.write('feature.md', 'feature\n');
    repo.commit('feature');
    const clean = gitWithHooks(repo, ['push', '-q', 'origin', 'feature']);
    expect(clean.status, shown(clean)).toBe(0);

    repo.write('feature.env', envKey('branch-new').line);
    repo.commit('feature key');
    repo.git(['checkout', '-q', '-b', 'feature-2']);
    const branch = gitWithHooks(repo, ['push', '-q', 'origin', 'feature-2']);
    expect(branch.status).not.toBe(0);
    expect(shown(branch)).toContain('feature.env');
    expect(shown(branch)).not.toContain('old.env');

    // An unrelated history (a new root): everything in it is new to the remote.
    repo.git(['checkout', '-q', '--orphan', 'other']);
    repo.git(['rm', '-rq', '--cached', '.']);
    repo.write('root.env', envKey('branch-root').line);
    repo.git(['add', 'root.env']);
    repo.commit('root key', { addAll: false });
    const root = gitWithHooks(repo, ['push', '-q', 'origin', 'other']);
    expect(root.status).not.toBe(0);
    expect(shown(root)).toContain('root.env');
  });

  it('--print writes nothing, and the printed script works when a hook manager runs it', async () => {
    const { repo } = withRemote();
    repo.git(['push', '-q', 'origin', 'main']);
    const printed = await runCli(['install-hook', '--pre-push', '--print'], { cwd: repo.dir });
    expect(printed.stdout).toBe(hookScript('pre-push'));
    expect(existsSync(join(repo.dir, '.git/hooks/pre-push'))).toBe(false);
    // The shape husky 9 uses: core.hooksPath=.husky/_ holding wrappers that run .husky/<hook>.
    repo.write('.husky/pre-push', printed.stdout);
    repo.write('.husky/_/pre-push', '#!/bin/sh\nexec sh "$(dirname "$0")/../pre-push" "$@"\n');
    chmodSync(join(repo.dir, '.husky/_/pre-push'), 0o755);
    repo.git(['config', 'core.hooksPath', '.husky/_']);
    repo.write('app/.env', envKey('husky').line);
    repo.commit('key');
    const blocked = gitWithHooks(repo, ['push', '-q', 'origin', 'main']);
    expect(blocked.status).not.toBe(0);
    expect(shown(blocked)).toContain('app/.env:1:19');
  });

  it('lets a branch deletion through without scanning', async () => {
    const { repo } = withRemote();
    repo.git(['push', '-q', 'origin', 'main']);
    repo.git(['push', '-q', 'origin', 'main:doomed']);
    await install(repo, '--pre-push');
    const deleted = gitWithHooks(repo, ['push', '-q', 'origin', ':doomed'], systemPath);
    expect(deleted.status, shown(deleted)).toBe(0);
  });
});
