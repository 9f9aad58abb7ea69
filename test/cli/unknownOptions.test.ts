// Options segscan does not have: the closest one for a typo, and segscan's way of saying the
// same thing for the flags people bring from gitleaks and TruffleHog (yargs said only "Unknown
// arguments: log-opts, logOpts").
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { expectOneLineError } from '../integration/support.js';

describe('options segscan does not have', () => {
  it.each([
    [['dir', '.', '--formt', 'json'], 'unknown option --formt: did you mean --format?'],
    [['dir', '.', '--exlude', 'x'], 'unknown option --exlude: did you mean --exclude?'],
    [['git', '--rage', 'a..b'], 'unknown option --rage: did you mean --range?'],
    [['dri', '.'], 'unknown argument dri: did you mean dir?'],
    [['git', '--log-opts=--all'], 'unknown option --log-opts: segscan git takes --range A..B, --since DATE and --branch REF'],
    [['dir', '.', '--report-format', 'sarif'], 'unknown option --report-format: use --format'],
    [['dir', '.', '--report-path', 'out.sarif'], 'unknown option --report-path: use --output FILE'],
    [['git', '--since-commit', 'abc123'], 'unknown option --since-commit: use --range COMMIT..HEAD'],
    [['dir', '.', '--no-git'], 'unknown option --no-git: scan files with segscan dir PATH'],
    [['dir', '--source', '.'], 'unknown option --source: name the path as an argument'],
  ])('%j says what to type instead', async (argv, advice) => {
    const line = expectOneLineError(await runCli(argv), advice);
    expect(line).not.toMatch(/Unknown argument/);
  });

  it('says nothing it cannot back up: no suggestion for a name close to no option', async () => {
    const line = expectOneLineError(await runCli(['dir', '.', '--frobnicate']), 'unknown option --frobnicate');
    expect(line).not.toContain('did you mean');
  });
});
