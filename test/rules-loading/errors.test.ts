import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';

const VALID = `id: custom-rule
title: Custom rule
description: A user's rule.
kind: write-key
severity: medium
keywords: [mykey]
pattern: 'mykey=([A-Za-z0-9]{32})'
verify: none
remediation: Rotate the key.
examples:
  match: ['mykey={{alnum:32}}']
  noMatch: ['mykey=short']
`;

function ruleDir(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'segscan-rules-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

async function loadError(text: string) {
  const dir = ruleDir({ 'bad.yaml': text });
  const result = await runCli(['dir', dir, '--rules', dir]);
  return { ...result, dir };
}

describe('broken rule files stop the run with exit 2 and one line naming file and field', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['missing field', VALID.replace(/^pattern:.*\n/m, ''), /bad\.yaml: missing required field 'pattern'/],
    ['wrong type', VALID.replace('keywords: [mykey]', 'keywords: mykey'), /bad\.yaml: keywords must be array/],
    ['unknown field', `${VALID}colour: red\n`, /bad\.yaml: unknown field 'colour'/],
    ['bad enum', VALID.replace('severity: medium', 'severity: urgent'), /bad\.yaml: severity must be one of critical, high, medium, low/],
    ['look-ahead', VALID.replace("pattern: 'mykey=([A-Za-z0-9]{32})'", "pattern: 'mykey=(?=x)([A-Za-z0-9]{32})'"), /bad\.yaml: pattern: RE2 cannot compile it/],
    ['back-reference', VALID.replace("pattern: 'mykey=([A-Za-z0-9]{32})'", "pattern: '(a)mykey=\\1([A-Za-z0-9]{32})'"), /bad\.yaml: pattern: RE2 cannot compile it/],
    ['huge repetition', VALID.replace('{32}', '{5000}'), /bad\.yaml: pattern: the pattern is too big to run fast \(about 10009 RE2 instructions, limit 3000\)/],
    ['an inverted repetition range', VALID.replace('{32}', '{2,1}'), /bad\.yaml: pattern: RE2 cannot compile it/],
    ['missing group', `${VALID}secretGroup: 3\n`, /bad\.yaml: secretGroup: the pattern has no group 3/],
    ['bad YAML', 'id: [unclosed\n', /bad\.yaml: not valid YAML/],
    ['not a mapping', '- just\n- a list\n', /bad\.yaml: a rule file must be a YAML mapping/],
    ['YAML alias bomb', `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n`, /bad\.yaml: .*alias/i],
  ];
  for (const [name, text, message] of cases) {
    it(name, async () => {
      const { exitCode, stdout, stderr } = await loadError(text);
      expect(exitCode).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(message);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    });
  }

  it('reports a pattern RE2 cannot compile before scanning, even where no keyword occurs', async () => {
    // Built-in patterns compile on first use (they were compiled at build time); a user's compile
    // when the rules load, so an empty tree or a staged change without keywords still reports them.
    const dir = ruleDir({ 'bad.yaml': VALID.replace('{32}', '{2,1}').replace('keywords: [mykey]', 'keywords: [neverpresent]') });
    const empty = mkdtempSync(join(tmpdir(), 'segscan-empty-'));
    const { exitCode, stderr } = await runCli(['dir', empty, '--rules', dir]);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/bad\.yaml: pattern: RE2 cannot compile it/);
    const allowlist = ruleDir({ 'bad.yaml': `${VALID.replace('keywords: [mykey]', 'keywords: [neverpresent]')}allowlist:\n  regexes: ['(?<=x)y']\n` });
    expect((await runCli(['dir', empty, '--rules', allowlist])).stderr).toMatch(/bad\.yaml: allowlist\.regexes\[0\]: RE2 cannot compile it/);
  });

  it('rejects a duplicate rule id naming both files', async () => {
    const dir = ruleDir({ 'a.yaml': VALID, 'b.yaml': VALID });
    const { exitCode, stderr } = await runCli(['rules', 'list', '--rules', dir]);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/b\.yaml: id: 'custom-rule' is already defined in .*a\.yaml/);
  });

  it('rejects a --rules path that is not a directory', async () => {
    const { exitCode, stderr } = await runCli(['dir', '.', '--rules', '/nonexistent/rules']);
    expect(exitCode).toBe(2);
    expect(stderr).toMatch(/--rules \/nonexistent\/rules: cannot read the directory/);
  });
});

describe('user rule directories', () => {
  it('adds the rules beside the built-in ones and tests their examples', async () => {
    const dir = ruleDir({ 'custom.yaml': VALID });
    const list = await runCli(['rules', 'list', '--rules', dir]);
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toMatch(/^custom-rule\s+medium\s+write-key\s+Custom rule$/m);
    const tested = await runCli(['rules', 'test', dir]);
    expect(tested.stdout).toMatch(/^2 passed, 0 failed \(1 rules\)$/m);
    expect(tested.exitCode).toBe(0);
  });

  it('fails rules test on a broken example and names it without expanding templates', async () => {
    const dir = ruleDir({ 'custom.yaml': VALID.replace("noMatch: ['mykey=short']", "noMatch: ['mykey={{alnum:32}}']") });
    const tested = await runCli(['rules', 'test', dir]);
    expect(tested.exitCode).toBe(1);
    expect(tested.stdout).toMatch(/FAIL .*custom\.yaml custom-rule examples\.noMatch\[0\]: expected no finding, got 1/);
    expect(tested.stdout).toContain('mykey={{alnum:32}}');
    expect(tested.stdout).toMatch(/^1 passed, 1 failed/m);
  });

  it('finds a user rule match in a scan', async () => {
    const rules = ruleDir({ 'custom.yaml': VALID });
    const tree = ruleDir({ 'app.cfg': `x\nmykey=${fakeCredentials('user-rule').writeKey}\n` });
    const { exitCode, stdout } = await runCli(['dir', tree, '--rules', rules, '--format', 'json']);
    expect(exitCode).toBe(1);
    const report = JSON.parse(stdout) as { findings: Array<{ ruleId: string; path: string; start: { line: number; column: number } }> };
    expect(report.findings.map((f) => [f.ruleId, f.path, f.start.line, f.start.column])).toEqual([['custom-rule', 'app.cfg', 2, 7]]);
  });
});
