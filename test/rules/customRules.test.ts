// Users add rule directories with --rules DIR and test them with `segscan rules test DIR`, as
// rules/README.md documents; the README's example rule lives in fixtures/rules/custom-rules.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { FIXTURES, tempDir } from '../helpers/fixtureTree.js';
import { fakeCredentials } from '../../src/rules/templates.js';

const CUSTOM = join(FIXTURES, 'rules/custom-rules');
const FAILING = join(FIXTURES, 'rules/custom-rules-failing');

describe('custom rule directories', () => {
  it('rules test DIR passes the README example rule, exit 0', async () => {
    const { exitCode, stdout } = await runCli(['rules', 'test', CUSTOM]);
    expect(stdout).toBe('3 passed, 0 failed (1 rules)\n');
    expect(exitCode).toBe(0);
  });

  it('rules test DIR --disable-rule ID leaves a built-in rule out, so a rule it overlaps can be tested', async () => {
    // A Segment-named variable: the built-in variable rule takes the finding from the custom rule.
    const dir = tempDir({
      'rules/proxy.yaml': [
        'id: acme-segment-key',
        'title: Segment key in our proxy config',
        'description: Our proxy takes the write key as segmentKey.',
        'kind: write-key',
        'severity: medium',
        'keywords: [segmentkey]',
        `pattern: '(?i)segmentKey\\s*[:=]\\s*["'']?([A-Za-z0-9]{32})\\b'`,
        'verify: write-key',
        'remediation: Rotate the write key.',
        'examples:',
        `  match: ['segmentKey: "{{alnum:32}}"']`,
        `  noMatch: ['segmentKey: "\${SEGMENT_KEY}"']`,
        '',
      ].join('\n'),
    });
    const overlapped = await runCli(['rules', 'test', 'rules'], { cwd: dir });
    expect(overlapped.exitCode, overlapped.stderr).toBe(1);
    expect(overlapped.stdout).toContain('acme-segment-key examples.match[0]: expected a finding, got none');
    const alone = await runCli(['rules', 'test', 'rules', '--disable-rule', 'segment-credential-variable'], { cwd: dir });
    expect(alone.stdout).toBe('2 passed, 0 failed (1 rules)\n');
    expect(alone.exitCode).toBe(0);
  });

  it('rules test DIR names each wrong example without printing generated keys, exit 1', async () => {
    const { exitCode, stdout } = await runCli(['rules', 'test', FAILING]);
    expect(exitCode).toBe(1);
    expect(stdout).toContain('acme-wrong-examples examples.match[0]: expected a finding, got none');
    expect(stdout).toContain('acme-wrong-examples examples.noMatch[0]: expected no finding, got 1');
    expect(stdout).toContain("new AcmeTracker('{{alnum:31}}')");
    expect(stdout).toMatch(/0 passed, 2 failed \(1 rules\)\n$/);
  });

  it('rules list --rules DIR lists the custom rule beside the built-in ones', async () => {
    const { exitCode, stdout } = await runCli(['rules', 'list', '--rules', CUSTOM]);
    expect(exitCode).toBe(0);
    expect(stdout).toMatch(/^acme-segment-proxy-key\s+medium\s+write-key\s+Write key for the ACME Segment proxy$/m);
    expect(stdout).toMatch(/^segment-public-api-token\s+critical\s+public-api-token\s/m);
  });

  it('a scan with --rules DIR reports the custom rule and the built-in rules', async () => {
    const keys = fakeCredentials('custom-rules');
    const root = tempDir({
      'src/track.js': `const tracker = new AcmeTracker('${keys.writeKey}')\n`,
      '.env': `SEGMENT_WRITE_KEY=${keys.writeKey}\n`,
    });
    const { exitCode, stdout } = await runCli(['dir', root, '--rules', CUSTOM, '--format', 'json']);
    expect(exitCode).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; path: string; start: { line: number; column: number } }> };
    const got = report.findings.map((f) => [f.ruleId, f.path, f.start.line, f.start.column]).sort();
    expect(got).toEqual([
      ['acme-segment-proxy-key', 'src/track.js', 1, 34],
      ['segment-credential-variable', '.env', 1, 19],
    ]);
  });
});
