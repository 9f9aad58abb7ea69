// Rule files from a fuzzer and hand-written hostile cases, through the CLI (`segscan rules list
// --rules DIR`): every one either loads or stops the run with exit 2 and one line naming the file,
// never a stack trace, an internal error or a hang. test/rules-loading/errors.test.ts holds the
// basic cases (missing field, wrong type, look-around, alias bomb); these go further.
import fc from 'fast-check';
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { cleanupTemp, expectOneLineError, hostileTemp, runBinary } from './support.js';

afterAll(cleanupTemp);

const scale = (runs: number) => Math.ceil(runs * Number(process.env.SEGSCAN_FUZZ_SCALE ?? 1));

const VALID = `id: fuzz-rule
title: Fuzzed rule
description: A rule file produced by the fuzzer.
kind: write-key
severity: medium
keywords: [fuzzkey]
pattern: 'fuzzkey=([A-Za-z0-9]{32})'
verify: none
remediation: Rotate the key.
examples:
  match: ['fuzzkey={{alnum:32}}']
  noMatch: ['fuzzkey=short']
`;
const VALID_OBJECT = parse(VALID) as Record<string, unknown>;

function ruleDirWith(name: string, content: string | Buffer): string {
  const dir = hostileTemp('rules');
  writeFileSync(join(dir, name), content);
  return dir;
}

/** Load one rule file through the CLI; returns the result for the contract checks. */
async function listWith(content: string | Buffer, name = 'fuzz.yaml') {
  const dir = ruleDirWith(name, content);
  return { ...(await runCli(['rules', 'list', '--rules', dir])), dir };
}

/** Exit 0 listing the rule, or exit 2 with one line that names the file. */
function expectLoadsOrNamesFile(result: { exitCode: number; stdout: string; stderr: string }, name = 'fuzz.yaml'): void {
  if (result.exitCode === 0) {
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^\d+ rules$/m);
    return;
  }
  expectOneLineError(result);
  expect(result.stdout).toBe('');
  expect(result.stderr).toContain(name);
}

const patternPiece = fc.constantFrom(
  '(', ')', '[', ']', '{', '}', '*', '+', '?', '|', '\\', '^', '$', '.', 'a', 'Z', '0', '-', ',', '{1000}', '{1001}', '{2,1}', '{99999999999}',
  '(?=', '(?!', '(?<=', '(?P<n>', '(?<n>', '(?<1x>', '\\1', '\\k<n>', '\\p{L}', '\\p{Nope}', '\\pN', '(?i)', '(?s:', '(?x)', '[[:alpha:]]', '[[:nope:]]',
  '\\Q', '\\E', '\\C', '\\z', '\\Z', '\\b', '\\B', '\\x{110000}', '\\x{41}', '\\u0041', '\\0', '\\8', '[^]', '[a-', '\u0000', '\ud800', '😀', 'é',
  '(a+)+', '(a|a)*', '.*.*.*', '(?:', '**', '+?', '??', '*?+',
);
const patternArb = fc.array(patternPiece, { maxLength: 20 }).map((parts) => parts.join(''));

/** A field value of any shape: the right type, a wrong one, or nonsense. */
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string({ maxLength: 30 }),
  patternArb,
  fc.constantFrom(null, true, 0, -1, 1e308, Number.NaN, '', ' ', 'high', 'write-key', 'none', 'auto', [], {}, ['x'], [{}], { match: [] }, { match: ['x'], noMatch: [] }),
);

const FIELDS = [...Object.keys(VALID_OBJECT), 'secretGroup', 'entropy', 'requireCharClasses', 'paths', 'allowlist', 'confidence', 'securitySeverity', 'message', 'tags', 'references', 'overrides', 'unknownField'];

/** Start from a valid rule and delete or replace some fields (the pattern most often). */
const mutatedRule = fc
  .record({
    edits: fc.array(fc.tuple(fc.constantFrom(...FIELDS), fc.oneof(fc.constant<'delete'>('delete'), anyValue)), { maxLength: 4 }),
    pattern: fc.option(patternArb, { nil: undefined }),
    allowRegex: fc.option(patternArb, { nil: undefined }),
  })
  .map(({ edits, pattern, allowRegex }) => {
    const rule: Record<string, unknown> = structuredClone(VALID_OBJECT);
    if (pattern !== undefined) rule.pattern = pattern;
    if (allowRegex !== undefined) rule.allowlist = { regexes: [allowRegex] };
    for (const [field, value] of edits) {
      if (value === 'delete') delete rule[field];
      else rule[field] = value;
    }
    return rule;
  });

/** Byte-level damage to valid YAML: insertions, deletions and overwrites at random offsets. */
const damagedYaml = fc
  .array(fc.tuple(fc.nat(VALID.length), fc.nat(8), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 5 })
  .map((edits) => {
    let text = VALID;
    for (const [at, remove, insert] of edits) text = text.slice(0, at % (text.length + 1)) + insert + text.slice((at % (text.length + 1)) + remove);
    return text;
  });

describe('fuzzed rule files', () => {
  it('mutated rule objects load or fail with one line naming the file', async () => {
    for (const rule of fc.sample(mutatedRule, { numRuns: scale(60) })) {
      let text: string;
      try {
        text = stringify(rule);
      } catch {
        continue; // not serialisable (e.g. NaN in a strange place): nothing to feed segscan
      }
      const result = await listWith(text);
      expectLoadsOrNamesFile(result);
    }
  });

  it('rule files with random byte damage load or fail with one line naming the file', async () => {
    for (const text of fc.sample(damagedYaml, { numRuns: scale(60) })) expectLoadsOrNamesFile(await listWith(text));
  });

  it('entirely random text and bytes as a rule file fail with one line naming the file', async () => {
    const samples = fc.sample(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.from(b))), { numRuns: scale(30) });
    for (const content of samples) expectLoadsOrNamesFile(await listWith(content));
  });
});

function nested(depth: number, open: string, close: string, leaf = '1'): string {
  return `${open.repeat(depth)}${leaf}${close.repeat(depth)}`;
}

const withField = (field: string, value: string) => VALID.replace(new RegExp(`^${field}:.*$`, 'm'), `${field}: ${value}`);

describe('hand-written hostile rule files', () => {
  const cases: Array<[string, string | Buffer, RegExp]> = [
    ['an empty file', '', /fuzz\.yaml: a rule file must be a YAML mapping/],
    ['only comments', '# nothing here\n# at all\n', /fuzz\.yaml: a rule file must be a YAML mapping/],
    ['a pattern that is a number', withField('pattern', '12345'), /fuzz\.yaml: pattern must be string/],
    ['a pattern that is a mapping', withField('pattern', '{a: 1}'), /fuzz\.yaml: pattern must be string/],
    ['keywords of one character', withField('keywords', '[a]'), /fuzz\.yaml: keywords\[0\]/],
    ['an id with spaces', withField('id', '"Fuzz Rule"'), /fuzz\.yaml: id must match pattern/],
    ['examples without match', VALID.replace(/^examples:[\s\S]*$/m, 'examples:\n  noMatch: []\n'), /fuzz\.yaml: missing required field 'examples\.match'/],
    ['a secretGroup name the pattern lacks', `${VALID}secretGroup: value\n`, /fuzz\.yaml: secretGroup: the pattern has no group value/],
    ['a repetition over RE2\'s limit of 1000', withField('pattern', "'fuzzkey=(a{1001})'"), /fuzz\.yaml: pattern: RE2 cannot compile it/],
    ['nested repetitions that blow up RE2\'s program size', withField('pattern', "'fuzzkey=(((a{100}){100}){100})'"), /fuzz\.yaml: pattern: the pattern is too big to run fast \(about \d+ RE2 instructions, limit 3000\)/],
    ['an inverted repetition range', withField('pattern', "'fuzzkey=(a{2,1})'"), /fuzz\.yaml: pattern: RE2 cannot compile it/],
    ['an unclosed class', withField('pattern', "'fuzzkey=([a-z)'"), /fuzz\.yaml: pattern: RE2 cannot compile it/],
    ['an unknown Unicode class', withField('pattern', "'fuzzkey=(\\p{Nope})'"), /fuzz\.yaml: pattern: RE2 cannot compile it/],
    ['a look-behind', withField('pattern', "'(?<=fuzzkey=)([A-Za-z0-9]{32})'"), /fuzz\.yaml: pattern: RE2 cannot compile it/],
    ['a duplicate group name', withField('pattern', "'(?P<k>fuzzkey)=(?P<k>[a-z]{32})'"), /fuzz\.yaml: pattern: RE2 cannot compile it/],
    ['a bad allowlist regex', `${VALID}allowlist:\n  regexes: ['(?!x)']\n`, /fuzz\.yaml: allowlist\.regexes\[0\]: RE2 cannot compile it/],
    ['a pattern longer than the schema allows', withField('pattern', `'${'a'.repeat(5000)}'`), /fuzz\.yaml: pattern must NOT have more than 4000 characters/],
    ['an entropy above 8 bits', `${VALID}entropy: 9\n`, /fuzz\.yaml: entropy must be <= 8/],
    ['a self-referencing alias', '&a [*a]\n', /fuzz\.yaml: /],
    ['an alias used before its anchor', 'id: *later\ntitle: &later x\n', /fuzz\.yaml: /],
    ['a string "billion laughs" through aliases', [
      'a: &a "lol lol lol lol lol lol lol lol lol lol"',
      'b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]',
      'c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]',
      'd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]',
      'e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]',
      'f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]',
    ].join('\n'), /fuzz\.yaml: .*alias/i],
    ['merge keys that multiply through aliases', [
      'a: &a {x1: 1, x2: 2, x3: 3}',
      'b: &b {<<: [*a, *a, *a, *a, *a, *a, *a, *a]}',
      'c: &c {<<: [*b, *b, *b, *b, *b, *b, *b, *b]}',
      'd: &d {<<: [*c, *c, *c, *c, *c, *c, *c, *c]}',
      'e: {<<: [*d, *d, *d, *d, *d, *d, *d, *d]}',
    ].join('\n'), /fuzz\.yaml: /],
    ['10,000 nested flow sequences', nested(10_000, '[', ']'), /fuzz\.yaml: /],
    ['10,000 nested flow mappings', nested(10_000, '{a: ', '}'), /fuzz\.yaml: /],
    ['5,000 nested block mappings', Array.from({ length: 5000 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n', /fuzz\.yaml: /],
    ['two YAML documents', `${VALID}---\n${VALID}`, /fuzz\.yaml: not valid YAML/],
    ['a duplicate key', `${VALID}id: other-id\n`, /fuzz\.yaml: duplicate key 'id'/],
    ['an unknown tag', `${VALID}tags: !!js/function 'function () {}'\n`, /fuzz\.yaml: /],
    ['binary content with NUL bytes', Buffer.from([0x69, 0x64, 0x3a, 0x20, 0x00, 0x01, 0xff, 0xfe, 0x0a]), /fuzz\.yaml: /],
    ['a UTF-16 file', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(VALID, 'utf16le')]), /fuzz\.yaml: /],
    ['a file over the 256 KiB limit', `${VALID}# ${'x'.repeat(300 * 1024)}\n`, /fuzz\.yaml: \d+ bytes is too large for a rule file/],
    // 20,000 keys: the duplicate-key check is linear (the YAML parser's own one took seconds).
    ['20,000 unknown keys', Array.from({ length: 20_000 }, (_, i) => `k${i}: 1`).join('\n'), /fuzz\.yaml: /],
  ];
  for (const [name, content, message] of cases) {
    it(name, async () => {
      const result = await listWith(content);
      expectOneLineError(result, message);
      expect(result.stdout).toBe('');
    });
  }

  it('a valid rule file loads (the cases above fail for their own reason, not the harness)', async () => {
    const result = await listWith(VALID);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^fuzz-rule\s+medium\s+write-key\s+Fuzzed rule$/m);
  });

  it('a directory named like a rule file stops the run with one line naming it', async () => {
    const dir = hostileTemp('rules');
    mkdirSync(join(dir, 'folder.yaml'));
    const result = await runCli(['rules', 'list', '--rules', dir]);
    expectOneLineError(result, /folder\.yaml: not a regular file/);
  });

  it('a dangling symlink named like a rule file stops the run with one line naming it', async () => {
    const dir = hostileTemp('rules');
    symlinkSync(join(dir, 'gone'), join(dir, 'dangling.yaml'));
    const result = await runCli(['rules', 'list', '--rules', dir]);
    expectOneLineError(result, /dangling\.yaml: cannot read the rule file \(ENOENT\)/);
  });

  it('an unreadable rule file stops the run with one line naming it (as an unprivileged user)', () => {
    const dir = hostileTemp('rules');
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'locked.yaml'), VALID);
    chmodSync(join(dir, 'locked.yaml'), 0o000);
    const result = runBinary(['rules', 'list', '--rules', dir], { asNobody: true });
    expectOneLineError({ exitCode: result.exitCode ?? -1, stderr: result.stderr }, /locked\.yaml: cannot read the rule file \(EACCES\)/);
  });

  it('a scan with a hostile rule directory fails the same way before reading any file', async () => {
    const dir = ruleDirWith('bomb.yaml', nested(10_000, '[', ']'));
    const result = await runCli(['stdin', '--rules', dir], { stdin: 'SEGMENT_WRITE_KEY=x' });
    expectOneLineError(result, /bomb\.yaml/);
    expect(result.stdout).toBe('');
  });
});
