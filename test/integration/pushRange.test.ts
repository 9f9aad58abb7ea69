// The segscan-push hook: pre-commit passes the pushed range in environment variables and the
// hook runs `segscan git --range-from-env`.
import { afterAll, describe, expect, it } from 'vitest';
import { pushRangeFromEnv } from '../../src/config/pushRange.js';
import { UsageError } from '../../src/errors.js';
import { runCli } from '../helpers/cli.js';
import { createTestRepo, removeTempDirs } from '../helpers/gitRepo.js';
import { envKey } from './support.js';

afterAll(removeTempDirs);

describe('pushRangeFromEnv', () => {
  it('reads PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF, or the older ORIGIN (remote side) and SOURCE (local side)', () => {
    expect(pushRangeFromEnv({ PRE_COMMIT_FROM_REF: 'abc123', PRE_COMMIT_TO_REF: 'def456' })).toBe('abc123..def456');
    expect(pushRangeFromEnv({ PRE_COMMIT_ORIGIN: 'abc123', PRE_COMMIT_SOURCE: 'def456' })).toBe('abc123..def456');
    expect(pushRangeFromEnv({ PRE_COMMIT_FROM_REF: 'new', PRE_COMMIT_TO_REF: 'x', PRE_COMMIT_ORIGIN: 'old', PRE_COMMIT_SOURCE: 'y' })).toBe('new..x');
  });

  it('is undefined without both ends (pre-commit gives none when a push starts a new history)', () => {
    expect(pushRangeFromEnv({})).toBeUndefined();
    expect(pushRangeFromEnv({ PRE_COMMIT_FROM_REF: 'abc' })).toBeUndefined();
    expect(pushRangeFromEnv({ PRE_COMMIT_FROM_REF: '', PRE_COMMIT_TO_REF: 'abc' })).toBeUndefined();
  });

  it.each(['--all', 'a..b', 'a b', 'HEAD~1', 'x^'])('rejects %j, which is not a plain ref or commit', (ref) => {
    expect(() => pushRangeFromEnv({ PRE_COMMIT_FROM_REF: ref, PRE_COMMIT_TO_REF: 'abc' })).toThrow(UsageError);
    expect(() => pushRangeFromEnv({ PRE_COMMIT_FROM_REF: 'abc', PRE_COMMIT_TO_REF: ref })).toThrow(UsageError);
  });
});

describe('segscan git --range-from-env', () => {
  it('scans only the pushed range when pre-commit gives one, and all history when it does not', async () => {
    const repo = createTestRepo();
    repo.write('.env', envKey('range-env-old').line);
    const from = repo.commit('old key, already on the remote');
    repo.write('README.md', 'docs\n');
    const to = repo.commit('docs');
    const ranged = await runCli(['git', '.', '--range-from-env'], { cwd: repo.dir, env: { PRE_COMMIT_FROM_REF: from, PRE_COMMIT_TO_REF: to } });
    expect(ranged.exitCode, ranged.stdout + ranged.stderr).toBe(0);
    const whole = await runCli(['git', '.', '--range-from-env'], { cwd: repo.dir, env: {} });
    expect(whole.exitCode).toBe(1);
    expect(whole.stdout).toContain('.env:1:19');
  });
});
