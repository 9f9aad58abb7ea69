import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { gitFailure, runGit, spawnGit } from '../../src/sources/gitCommand.js';
import { gitHistorySource } from '../../src/sources/gitHistory.js';
import { stagedSource } from '../../src/sources/stagedDiff.js';
import { collectItems, createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

const originalPath = process.env.PATH;
afterEach(() => {
  process.env.PATH = originalPath;
});

describe('git commands', () => {
  it('says how to fix a missing git', async () => {
    const repo = createTestRepo();
    process.env.PATH = '/nonexistent-bin';
    await expect(runGit(repo.dir, ['status'])).rejects.toThrow(new InputError('git is not installed or not on PATH: install git to scan history'));
    await expect(collectItems(gitHistorySource({ repo: repo.dir, maxFileSize: 1000 }))).rejects.toThrow(
      new InputError('git is not installed or not on PATH: install git to scan history'),
    );
  });

  it('lets git buffer its output (GIT_FLUSH=0) only when asked', async () => {
    const repo = createTestRepo();
    // A shell alias runs with git's environment: it prints what git was started with.
    const printFlush = (bufferOutput: boolean) => {
      const git = spawnGit(repo.dir, ['-c', 'alias.flushsetting=!echo \"GIT_FLUSH=${GIT_FLUSH-unset}\"', 'flushsetting'], { bufferOutput });
      return new Promise<string>((resolve) => {
        let out = '';
        git.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
        git.stdout.on('end', () => resolve(out.trim()));
      });
    };
    expect(await printFlush(true)).toBe('GIT_FLUSH=0');
    expect(await printFlush(false)).toBe('GIT_FLUSH=unset');
  });

  it('never runs hooks, fsmonitor, textconv or external diff drivers from the repository', async () => {
    const repo = createTestRepo();
    const marker = join(repo.dir, 'PWNED');
    const script = join(repo.dir, 'evil.sh');
    writeFileSync(script, `#!/bin/sh\ntouch '${marker}'\ncat "$@" 2>/dev/null\n`);
    chmodSync(script, 0o755);
    repo.git(['config', 'core.fsmonitor', script]);
    repo.git(['config', 'diff.evil.textconv', script]);
    repo.git(['config', 'diff.external', script]);
    repo.git(['config', 'core.hooksPath', repo.dir]);
    for (const hook of ['pre-commit', 'post-checkout', 'reference-transaction']) {
      writeFileSync(join(repo.dir, hook), `#!/bin/sh\ntouch '${marker}'\n`);
      chmodSync(join(repo.dir, hook), 0o755);
    }
    repo.write('.gitattributes', '*.env diff=evil\n');
    repo.write('a.env', 'A=1\n');
    // Building the repository must not trip the traps either.
    const safe = ['-c', 'core.hooksPath=/dev/null', '-c', 'core.fsmonitor=false'];
    repo.git([...safe, 'add', '-A']);
    repo.git([...safe, 'commit', '-q', '-m', 'one']);
    repo.write('a.env', 'A=1\nB=2\n');
    repo.git([...safe, 'add', 'a.env']);
    expect(existsSync(marker)).toBe(false);

    const history = await collectItems(gitHistorySource({ repo: repo.dir, maxFileSize: 10_000 }));
    const staged = await collectItems(stagedSource({ repo: repo.dir, maxFileSize: 10_000 }));
    expect(existsSync(marker)).toBe(false);
    expect(history.fragments.find((f) => f.path === 'a.env')?.text).toBe('A=1\n');
    expect(staged.fragments.map((f) => [f.path, f.text, f.onlyLines])).toEqual([['a.env', 'A=1\nB=2\n', [[2, 2]]]]);
  });

  it('streams output while git is still running, and stops git on kill or abort', async () => {
    const repo = createTestRepo();
    repo.write('f.txt', 'content\n');
    const sha = repo.commit('one');
    const blob = repo.git(['rev-parse', `${sha}:f.txt`]).trim();

    const git = spawnGit(repo.dir, ['cat-file', '--batch'], { input: true });
    await git.write(`${blob}\n`);
    // stdin is still open, so git is still running when the answer arrives.
    const expected = `${blob} blob 8\ncontent\n\n`;
    const stdout = git.stdout[Symbol.asyncIterator]();
    let received = '';
    while (received.length < expected.length) received += String((await stdout.next()).value);
    expect(received).toBe(expected);
    git.kill();
    await expect(git.exited).rejects.toThrow(InputError);

    const controller = new AbortController();
    const waiting = spawnGit(repo.dir, ['cat-file', '--batch'], { input: true, signal: controller.signal });
    const reason = new Error('stop');
    controller.abort(reason);
    await expect(waiting.exited).rejects.toBe(reason);
  });

  it('turns git failures into one-line messages', () => {
    const cwd = '/repo';
    expect(gitFailure(cwd, ['log'], "fatal: bad revision 'nope'\n", 128).message).toBe("unknown revision 'nope' in /repo");
    expect(gitFailure(cwd, ['log'], 'fatal: not a git repository (or any of the parent directories): .git\n', 128).message).toBe('not a git repository: /repo');
    expect(
      gitFailure(cwd, ['cat-file'], 'error: inflate: data stream error\nfatal: loose object 0123456789abcdef0123456789abcdef01234567 (stored in .git/objects/01/23) is corrupt\n', 128).message,
    ).toBe('git object 0123456789abcdef0123456789abcdef01234567 is corrupt or missing in /repo: run git fsck');
    expect(gitFailure(cwd, ['log'], 'fatal: something odd\nmore detail\n', 128).message).toBe('git log failed in /repo: something odd');
    expect(gitFailure(cwd, ['log'], '', 3).message).toBe('git log failed in /repo: exit code 3');
  });
});
