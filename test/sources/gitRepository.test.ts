import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { describeRepository } from '../../src/sources/gitRepository.js';
import { withoutCredentials } from '../../src/remoteUrl.js';
import { cloneTestRepo, createTestRepo, makeTempDir, removeTempDirs, withGitCallLog } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

describe('describeRepository', () => {
  it('describes a work tree from a subdirectory, with the remote URL stripped of credentials', async () => {
    const repo = createTestRepo();
    repo.write('src/app.js', 'x\n');
    const head = repo.commit('initial');
    repo.git(['remote', 'add', 'origin', 'https://deploy:s3cr3t-t0ken@github.example/org/repo.git']);
    mkdirSync(join(repo.dir, 'src', 'deep'), { recursive: true });

    expect(await describeRepository(join(repo.dir, 'src', 'deep'))).toEqual({
      root: repo.dir,
      gitDir: join(repo.dir, '.git'),
      bare: false,
      shallow: false,
      head,
      branch: 'main',
      remoteUrl: 'https://github.example/org/repo.git',
      empty: false,
    });
  });

  it('describes an empty repository', async () => {
    const repo = createTestRepo();
    expect(await describeRepository(repo.dir)).toEqual({
      root: repo.dir,
      gitDir: join(repo.dir, '.git'),
      bare: false,
      shallow: false,
      branch: 'main',
      empty: true,
    });
  });

  it('says a shallow clone is shallow and names a bare repository by its git directory', async () => {
    const origin = createTestRepo();
    origin.write('a.txt', 'a\n');
    origin.commit('one');
    origin.write('a.txt', 'b\n');
    const tip = origin.commit('two');

    const shallow = await describeRepository(cloneTestRepo(origin, ['--depth', '1']).dir);
    expect(shallow).toMatchObject({ shallow: true, head: tip, branch: 'main', remoteUrl: `file://${origin.dir}`, empty: false });

    const bareClone = cloneTestRepo(origin, ['--bare']);
    expect(await describeRepository(bareClone.dir)).toMatchObject({ root: bareClone.dir, gitDir: bareClone.dir, bare: true, head: tip });
  });

  it('has no branch on a detached HEAD', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    const head = repo.commit('one');
    repo.git(['checkout', '-q', '--detach']);
    const description = await describeRepository(repo.dir);
    expect(description.head).toBe(head);
    expect(description).not.toHaveProperty('branch');
  });

  it('names origin when there is one, else the first remote configured, without credentials', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('one');
    repo.git(['remote', 'add', 'zeta', 'https://bot:t0ken-zeta@git.example/zeta.git']);
    repo.git(['remote', 'add', 'alpha', 'https://git.example/alpha.git']);
    expect((await describeRepository(repo.dir)).remoteUrl).toBe('https://git.example/zeta.git');
    repo.git(['remote', 'add', 'origin', 'https://bot:t0ken-origin@git.example/origin.git']);
    expect((await describeRepository(repo.dir)).remoteUrl).toBe('https://git.example/origin.git');
  });

  it('is not empty when HEAD is unborn but another ref has commits', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('one');
    repo.git(['checkout', '-q', '--orphan', 'fresh']);
    const description = await describeRepository(repo.dir);
    expect(description).toMatchObject({ empty: false, branch: 'fresh' });
    expect(description).not.toHaveProperty('head');
  });

  it('asks one rev-parse in a work tree, and asks for HEAD again only where the top level stops it', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    const head = repo.commit('one');
    // Each git process is a fork of segscan: count them.
    const revParses = (calls: string[]) => calls.filter((line) => / rev-parse /.test(line));
    await withGitCallLog(async (calls) => {
      expect(await describeRepository(repo.dir)).toMatchObject({ root: repo.dir, head, branch: 'main', empty: false });
      expect(revParses(calls())).toHaveLength(1);
    });
    // Inside .git there is no top level (rev-parse stops there, exit 128): HEAD is asked alone.
    await withGitCallLog(async (calls) => {
      expect(await describeRepository(join(repo.dir, '.git'))).toMatchObject({ root: join(repo.dir, '.git'), gitDir: join(repo.dir, '.git'), bare: false, head });
      expect(revParses(calls())).toHaveLength(2);
    });
  });

  it('fails with one line for a directory that is not a repository', async () => {
    const dir = makeTempDir('segscan-describe-');
    await expect(describeRepository(dir)).rejects.toThrow(new InputError(`not a git repository: ${dir}`));
  });
});

describe('withoutCredentials', () => {
  it.each([
    ['https://user:password@github.com/org/repo.git', 'https://github.com/org/repo.git'],
    ['https://ghp_token123@github.com/org/repo.git', 'https://github.com/org/repo.git'],
    ['http://a:b@host:8080/x', 'http://host:8080/x'],
    ['ssh://git@github.com/org/repo.git', 'ssh://git@github.com/org/repo.git'],
    ['ssh://git:pw@github.com/org/repo.git', 'ssh://github.com/org/repo.git'],
    ['git@github.com:org/repo.git', 'git@github.com:org/repo.git'],
    ['user:pw@host:org/repo.git', 'host:org/repo.git'],
    ['https://github.com/org/repo.git', 'https://github.com/org/repo.git'],
    ['/srv/git/repo.git', '/srv/git/repo.git'],
  ])('%s -> %s', (url, expected) => {
    expect(withoutCredentials(url)).toBe(expected);
  });
});
