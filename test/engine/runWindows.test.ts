// A scope: file rule whose secret is a run of letters and digits (segment-write-key-in-context)
// runs only around such runs (detect.ts: windowsAroundRuns), not over the whole file. That must
// find exactly what the whole-file pass finds: any text, any mix of runs, separators, keywords,
// multi-byte characters, files over and under the whole-file limit.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maxMatchLength } from '../../src/engine/patternReach.js';
import { groupRun } from '../../src/engine/secretShape.js';
import { TOKEN_CHAR, forEachAlnumRun } from '../../src/engine/tokenRuns.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import type { Finding } from '../../src/types.js';
import { builtinEngine } from '../helpers/engine.js';

const withRuns = builtinEngine();
const wholeFile = builtinEngine({ runWindows: false });
const keys = fakeCredentials('run-windows');
const seen = (findings: Finding[]) => findings.map((f) => [f.ruleId, f.start.line, f.start.column, f.end.column, f.secretHash]);
const detect = (engine: typeof withRuns, text: string, path = 'src/analytics.js') => seen(engine.detectUtf8({ path, startLine: 1 }, Buffer.from(text, 'utf8')));

const ALNUM = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
const token = fc.integer({ min: 1, max: 40 }).chain((n) => fc.array(fc.constantFrom(...ALNUM), { minLength: n, maxLength: n }).map((c) => c.join('')));
const piece = fc.oneof(
  { weight: 6, arbitrary: token },
  { weight: 4, arbitrary: fc.constantFrom(' ', '\n', '_', '+', '/', '.', '-', '=', '"', "'", ':', ',', '(', ')', '\t', '\r\n') },
  { weight: 1, arbitrary: fc.constantFrom('é', '😀', '\u2028', 'segment', 'Segment ', '@segment/analytics-next', 'segmentio', keys.writeKey, `"${keys.writeKey}"`, keys.legacyWriteKey, keys.configApiToken, `token: '${keys.configApiToken}'`) },
);

describe('run windows for whole-file rules', () => {
  it('find what the whole-file pass finds, in any text that names Segment', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 400 }), (pieces) => {
        const text = `// Segment\n${pieces.join('')}`;
        expect(detect(withRuns, text)).toEqual(detect(wholeFile, text));
      }),
      { numRuns: 400 },
    );
  });

  it('find the same in a file over the whole-file limit, where the rule reads near its keywords', () => {
    const filler = 'const unrelatedValue = 1234567;\n'.repeat(3000);
    const text = `${filler}// segment\nconst a = "${keys.writeKey}";\n${filler}${'x'.repeat(31)} ${keys.writeKey}_tail\n// segment ${keys.writeKey}\n${filler}`;
    expect(Buffer.byteLength(text)).toBeGreaterThan(256 * 1024);
    const found = detect(withRuns, text);
    expect(found).toEqual(detect(wholeFile, text));
    expect(found.map(([rule, line]) => [rule, line])).toEqual([
      ['segment-write-key-in-context', 3002],
      ['segment-write-key-in-context', 6004],
    ]);
  });

  it('apply only where the secret is runs of letters and digits and a match is bounded', () => {
    expect(groupRun('[A-Za-z0-9]{32}')).toEqual({ minLength: 32, chars: 'alnum' });
    expect(groupRun('[A-Za-z0-9]{32}|[0-9a-zA-Z]{10}')).toEqual({ minLength: 10, chars: 'alnum' });
    expect(groupRun('[A-Za-z0-9]{3,5}x')).toEqual({ minLength: 3, chars: 'alnum' });
    expect(groupRun(String.raw`[A-Za-z0-9_\-]{43}\.[A-Za-z0-9_\-]{43}`)).toEqual({ minLength: 43, chars: 'token' });
    expect(groupRun(String.raw`[\w-]{20}|[A-Z]{12}`)).toEqual({ minLength: 12, chars: 'token' });
    for (const group of ['[A-Za-z0-9+/]{32}', '[^a-z]{3}', '[A-Za-z0-9]+', '(?:[A-Za-z0-9]{3})', '[A-Za-z0-9.]{3}', '[A-Za-z0-9]{0}', 'x[A-Z]{4}', '[A-Z]{4}|y']) expect(groupRun(group), group).toBeUndefined();
    expect(maxMatchLength(String.raw`(?:^|[^A-Za-z0-9_+/.\-])([A-Za-z0-9]{32})(?:$|[^A-Za-z0-9_+/=.\-])`)).toBe(34);
    expect(maxMatchLength(String.raw`(?i)x(a|bcd)?\b[^\n]{0,300}?y`)).toBe(305);
    for (const unbounded of ['a*b', 'a+', 'a{3,}', String.raw`\Qab\E`]) expect(maxMatchLength(unbounded)).toBeUndefined();
  });

  it('find every run at least as long as asked, cut at the range ends', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 1, max: 40 }), (pieces, minLength) => {
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        const from = Math.floor(bytes.length / 5);
        const to = bytes.length - Math.floor(bytes.length / 7);
        const found: Array<[number, number]> = [];
        forEachAlnumRun(bytes, from, to, minLength, (start, end) => void found.push([start, end]));
        const expected = [...bytes.subarray(from, to).toString('latin1').matchAll(/[A-Za-z0-9]+/g)].filter((m) => m[0].length >= minLength).map((m): [number, number] => [from + m.index, from + m.index + m[0].length]);
        expect(found).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('find every run of token characters (letters, digits, _ and -) as long as asked', () => {
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 200 }), fc.integer({ min: 1, max: 50 }), (pieces, minLength) => {
        const bytes = Buffer.from(pieces.join(''), 'utf8');
        const found: Array<[number, number]> = [];
        forEachAlnumRun(bytes, 0, bytes.length, minLength, (start, end) => void found.push([start, end]), TOKEN_CHAR);
        const expected = [...bytes.toString('latin1').matchAll(/[A-Za-z0-9_-]+/g)].filter((m) => m[0].length >= minLength).map((m): [number, number] => [m.index, m.index + m[0].length]);
        expect(found).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('find a Config API token (runs of letters, digits, _ and -) far from any other Segment word', () => {
    // Both halves hold a '-' and a '_': no run of letters and digits alone is 43 long.
    const token = [...keys.configApiToken].map((c, i) => (i === 10 || i === 60 ? '-' : i === 20 || i === 70 ? '_' : c)).join('');
    const filler = 'const unrelatedValue = 1234567;\n'.repeat(40);
    // A small file (the context is the whole file) and one over the whole-file limit (16 KiB around the keyword).
    for (const text of [`import { Analytics } from '@segment/analytics-node';\n${filler}const token = '${token}';\n`, `${filler.repeat(300)}// segment.io\n${filler.repeat(3)}const token = '${token}';\n${filler.repeat(10)}`]) {
      const found = detect(withRuns, text);
      expect(found).toEqual(detect(wholeFile, text));
      expect(found.map(([rule]) => rule)).toEqual(['segment-config-api-token-in-context']);
    }
  });
});
