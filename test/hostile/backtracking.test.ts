// Catastrophic-backtracking patterns and inputs. Every pattern goes through RE2, so a user rule
// such as `((?:a|b)+)+$` against 100,000 `a`s completes and reports what it should; and hostile inputs
// for the built-in rules (a megabyte-long line of nothing but a keyword) complete too. Nothing here
// asserts a duration: a regression shows up as the test's timeout.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTemp, hostileTemp, parseReport } from './support.js';

afterAll(cleanupTemp);

function rule(id: string, keyword: string, pattern: string, match: string, noMatch: string): string {
  return [
    `id: ${id}`,
    'title: A pattern that backtracking engines cannot run',
    'description: Exponential in a backtracking regex engine, linear in RE2.',
    'kind: generic',
    'severity: low',
    `keywords: ['${keyword}']`,
    `pattern: '${pattern}'`,
    'verify: none',
    'remediation: Nothing to do; this rule exists for a test.',
    'examples:',
    `  match: ['${match}']`,
    `  noMatch: ['${noMatch}']`,
    '',
  ].join('\n');
}

const rulesDir = hostileTemp('nasty-rules');
writeFileSync(join(rulesDir, 'nested-plus.yaml'), rule('nested-plus', 'aa', '((?:a|b)+)+$', 'aabbabaabbab', 'bb'));
writeFileSync(join(rulesDir, 'nested-plus-key.yaml'), rule('nested-plus-key', 'a!', '(?:a+)+!([A-Za-z0-9]{32})$', 'aa!{{alnum:32}}', 'aa!{{alnum:32}}?'));
writeFileSync(join(rulesDir, 'overlapping-alternation.yaml'), rule('overlapping-alternation', 'xx', '(?:x|xx|x{1,3})+=([A-Za-z0-9]{32})\\b', 'xx={{alnum:32}}', 'xx=short'));
writeFileSync(join(rulesDir, 'repeated-dot-star.yaml'), rule('repeated-dot-star', 'ab', '(?:.*a){20}b:([A-Za-z0-9]{32})\\b', 'aaaaaaaaaaaaaaaaaaaaab:{{alnum:32}}', 'ab:short'));

const key = fakeCredentials('backtracking').writeKey;
const A = 'a'.repeat(100_000);

async function scanStdin(text: string, extra: string[] = []) {
  const result = await runCli(['stdin', '--path', 'input.txt', '--format', 'json', '--rules', rulesDir, ...extra], { stdin: text });
  expect([0, 1], result.stderr).toContain(result.exitCode);
  const report = parseReport(result.stdout);
  return { exitCode: result.exitCode, findings: report.findings.map((f) => [f.ruleId, f.start.line, f.start.column, f.end.column]) };
}

describe('user rules with catastrophic-backtracking patterns', () => {
  it('the rules load and pass their own examples', async () => {
    const tested = await runCli(['rules', 'test', rulesDir]);
    expect(tested.stdout).toMatch(/^8 passed, 0 failed \(4 rules\)$/m);
    expect(tested.exitCode).toBe(0);
  });

  it('((?:a|b)+)+$ against 100,000 "a"s and a "!" completes with no finding', async () => {
    expect(await scanStdin(`${A}!`)).toEqual({ exitCode: 0, findings: [] });
  });

  it('(?:a+)+!KEY$ after 100,000 "a"s reports the key at column 100,002', async () => {
    expect(await scanStdin(`${A}!${key}`, ['--no-redact'])).toEqual({ exitCode: 1, findings: [['nested-plus-key', 1, 100_002, 100_034]] });
  });

  it('(?:a+)+!KEY$ with one character after the key (the failing case that explodes elsewhere) reports nothing', async () => {
    expect(await scanStdin(`${A}!${key}?`)).toEqual({ exitCode: 0, findings: [] });
  });

  it('overlapping alternation (x|xx|x{1,3})+ against 100,000 "x"s completes, and finds a key after them', async () => {
    const xs = 'x'.repeat(100_000);
    expect(await scanStdin(`${xs}=`)).toEqual({ exitCode: 0, findings: [] });
    expect(await scanStdin(`${xs}=${key}`)).toEqual({ exitCode: 1, findings: [['overlapping-alternation', 1, 100_002, 100_034]] });
  });

  it('(.*a){20} against 100,000 "a"s on one line without the final "b" completes with no finding', async () => {
    expect(await scanStdin(`${A}\n${A}`)).toEqual({ exitCode: 0, findings: [] });
  });
});

describe('built-in rules against a megabyte of one keyword on one line', () => {
  const token = fakeCredentials('bt-sgp').publicApiToken;
  const basic = Buffer.from(`${key}:`).toString('base64');
  // [name, noise, the planted text, where the finding starts: the key, or the encoded token holding it]
  const cases: Array<[string, string, string, string]> = [
    ['"sgp_" 250,000 times', 'sgp_'.repeat(250_000), ` ${token}`, token],
    ['"segment " 200,000 times', 'segment '.repeat(200_000), `segment_write_key=${key}`, key],
    ['"SEGMENT_WRITE_KEY=" 50,000 times', 'SEGMENT_WRITE_KEY='.repeat(50_000), ` SEGMENT_WRITE_KEY=${key}`, key],
    ['"Basic " 100,000 times', 'Basic '.repeat(100_000), `Basic ${basic}`, basic],
    ['"analytics.load(" 60,000 times', 'analytics.load('.repeat(60_000), ` analytics.load("${key}")`, key],
  ];
  for (const [name, noise, planted, at] of cases) {
    it(`${name}, then one key: completes and reports only that key, at its column`, async () => {
      const result = await runCli(['stdin', '--path', 'bundle.min.js', '--format', 'json'], { stdin: `${noise}${planted}\n` });
      expect(result.exitCode, result.stderr).toBe(1);
      const findings = parseReport(result.stdout).findings;
      expect(findings.map((f) => [f.start.line, f.start.column])).toEqual([[1, noise.length + planted.indexOf(at) + 1]]);
    });
  }
});
