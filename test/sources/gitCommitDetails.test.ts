import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { commitDetails, parseCommitDetails, withCommitDetails } from '../../src/sources/gitCommitDetails.js';
import type { Finding } from '../../src/types.js';
import { AUTHOR, createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

const ID_A = 'a'.repeat(40);
const ID_B = 'b'.repeat(40);

function finding(sha: string | undefined): Finding {
  return {
    ruleId: 'r', path: 'p', start: { line: 1, column: 1 }, end: { line: 1, column: 2 }, secret: 's', secretHash: 'h',
    confidence: 'high', signals: [], fingerprint: 'f',
    ...(sha ? { commit: { sha, authorName: '', authorEmail: '', date: '', subject: '' } } : {}),
  };
}

describe('commit details', () => {
  it('parses one record per commit, with empty fields and non-ASCII text kept exact', () => {
    const output = `${ID_A}\0Ann Ünïcode\0ann@example.com\x002021-01-01T00:00:00+00:00\0subject: with a colon\0\n${ID_B}\0\0\x002021-01-02T00:00:00+00:00\0\0\n`;
    expect(parseCommitDetails(output)).toEqual(new Map([
      [ID_A, { sha: ID_A, authorName: 'Ann Ünïcode', authorEmail: 'ann@example.com', date: '2021-01-01T00:00:00+00:00', subject: 'subject: with a colon' }],
      [ID_B, { sha: ID_B, authorName: '', authorEmail: '', date: '2021-01-02T00:00:00+00:00', subject: '' }],
    ]));
  });

  it('fills in the commits findings point at, in one git process, and leaves other findings alone', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    const first = repo.commit('first: ünïcode subject');
    repo.write('b.txt', 'b\n');
    const second = repo.commit('second');
    const findings = [finding(second), finding(undefined), finding(first), finding(second)];
    const completed = await withCommitDetails(repo.dir, findings);
    expect(completed.map((f) => f.commit && [f.commit.sha, f.commit.subject, f.commit.authorName, f.commit.authorEmail])).toEqual([
      [second, 'second', AUTHOR.name, AUTHOR.email],
      undefined,
      [first, 'first: ünïcode subject', AUTHOR.name, AUTHOR.email],
      [second, 'second', AUTHOR.name, AUTHOR.email],
    ]);
    expect(completed[0]!.commit!.date).toMatch(/^2021-01-01T\d\d:\d\d:\d\d\+00:00$/);
    expect(await withCommitDetails(repo.dir, [finding(undefined)])).toHaveLength(1);
    expect((await commitDetails(repo.dir, [first])).size).toBe(1);
  });

  it('fails with a one-line reason for a commit git does not have', async () => {
    const repo = createTestRepo();
    repo.write('a.txt', 'a\n');
    repo.commit('only');
    await expect(withCommitDetails(repo.dir, [finding(ID_A)])).rejects.toThrow(InputError);
  });
});
