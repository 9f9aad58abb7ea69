// A history scan limited by a revision, range or date git does not know: one line naming the
// option and the fix, exit 2, and no report (it used to print "No Segment credentials found in 0
// files" on stdout, or, for a date, scan nothing and pass).
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';
import { expectOneLineError } from '../integration/support.js';

afterAll(removeTempDirs);

function repoWithCommit() {
  const repo = createTestRepo();
  repo.write('README.md', 'hello\n');
  repo.commit('initial');
  return repo;
}

describe('history scans limited by a revision or date git does not know', () => {
  it.each([
    [['--range', 'nope..HEAD'], ["--range nope..HEAD: no revision 'nope'", 'git fetch them first']],
    [['--range', 'HEAD..nope'], ["--range HEAD..nope: no revision 'nope'"]],
    [['--range', 'gone...also-gone'], ["no revision 'gone' and 'also-gone'"]],
    [['--branch', 'main', '--branch', 'nope'], ["--branch nope: no branch, tag or commit 'nope'", 'git branch -a']],
    [['--since', 'not a date'], ["--since 'not a date' is not a date git understands", '2025-01-01', '2 weeks ago']],
  ])('git %j: exit 2, one line naming it and the fix, no report', async (flags, parts) => {
    const repo = repoWithCommit();
    const result = await runCli(['git', repo.dir, ...flags]);
    const line = expectOneLineError(result, ...parts);
    expect(line).toContain(parts[0]);
    expect(result.stdout).not.toContain('No Segment credentials found');
  });

  it('names the pre-push variables when the range came from them', async () => {
    const repo = repoWithCommit();
    const result = await runCli(['git', repo.dir, '--range-from-env'], { env: { PRE_COMMIT_FROM_REF: 'nope', PRE_COMMIT_TO_REF: 'HEAD' } });
    expectOneLineError(result, "PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF (--range-from-env) nope..HEAD: no revision 'nope'");
  });

  it('still scans dates and revisions git does know', async () => {
    const repo = repoWithCommit();
    for (const flags of [['--since', '2 weeks ago'], ['--since', '2020-01-01'], ['--range', 'HEAD~0..HEAD'], ['--branch', 'main']]) {
      const result = await runCli(['git', repo.dir, ...flags]);
      expect(result.exitCode, `${flags.join(' ')}: ${result.stderr}`).toBe(0);
    }
  });
});
