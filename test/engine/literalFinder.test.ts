// The literal finder must find exactly what a plain search finds: every occurrence of every
// keyword, overlapping ones, in any ASCII case, across its 64 KiB chunks.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LiteralFinder } from '../../src/engine/literalFinder.js';
import { KeywordScanner } from '../../src/engine/regex.js';

const LOWER = (b: number) => (b >= 0x41 && b <= 0x5a ? b + 0x20 : b);

/** Every occurrence, the obvious way. */
function plainSearch(bytes: Buffer, anyCase: readonly string[], exact: readonly string[]): Map<string, number[]> {
  const found = new Map<string, number[]>();
  const look = (text: string, fold: boolean) => {
    const want = Buffer.from(text);
    for (let at = 0; at + want.length <= bytes.length; at++) {
      let i = 0;
      while (i < want.length && (fold ? LOWER(bytes[at + i] as number) : bytes[at + i]) === want[i]) i++;
      if (i === want.length) found.set(text, [...(found.get(text) ?? []), at]);
    }
  };
  for (const text of new Set(anyCase.map((l) => l.toLowerCase()))) look(text, true);
  for (const text of new Set(exact)) look(text, false);
  return found;
}

const sorted = (m: Map<string, number[]>) => [...m].sort(([a], [b]) => (a < b ? -1 : 1));

const KEYWORDS = ['segment', 'segment.io', 'cdn.segment.', 'segment.com', 'analytics', 'analytics.load', 'seganalytics', 'writekey', 'write_key', 'sg_', 'sgp_', 'curl', '/v1/', 'config api'];
const ENCODED = ['c2dwX', 'U0VHTUVO'];

/** Text made of keyword pieces in random case, so keywords overlap, nest and almost occur. */
const pieces = fc.constantFrom(...KEYWORDS, ...ENCODED, 'SEGMENT', 'Segment', 'seg', 'ment', 'anal', 'ytics', 'cdn.', '.io', '.com', 'x', ' ', '\n', '_', 'é', 'WRITE', 'Key');
const text = fc.array(fc.tuple(pieces, fc.boolean()), { maxLength: 60 }).map((parts) => parts.map(([p, upper]) => (upper ? p.toUpperCase() : p)).join(''));

describe('LiteralFinder', () => {
  const finder = LiteralFinder.create(KEYWORDS, ENCODED);

  it('serves every built-in kind of keyword', () => {
    expect(finder).toBeDefined();
  });

  it('finds what a plain search finds', () => {
    fc.assert(
      fc.property(text, (t) => {
        const bytes = Buffer.from(t);
        expect(sorted(new KeywordScanner(KEYWORDS, ENCODED).scan(bytes))).toEqual(sorted(plainSearch(bytes, KEYWORDS, ENCODED)));
      }),
      { numRuns: 500 },
    );
  });

  it('finds keywords that cross its 64 KiB chunks, and none past the range asked', () => {
    fc.assert(
      fc.property(fc.integer({ min: 65536 - 20, max: 65536 + 4 }), text, fc.integer({ min: 1, max: 3 }), (at, t, chunks) => {
        const bytes = Buffer.alloc(at + t.length + 65536 * chunks, 'x');
        bytes.write(t, at);
        bytes.write('Segment.IO', bytes.length - 10);
        expect(sorted(new KeywordScanner(KEYWORDS, ENCODED).scan(bytes))).toEqual(sorted(plainSearch(bytes, KEYWORDS, ENCODED)));
        const from = at - 3;
        const to = at + 5;
        const hits: Array<[string, number]> = [];
        finder?.forEach(bytes, (literal, start) => void hits.push([literal, start]), from, to);
        const inRange = plainSearch(bytes.subarray(from, to), KEYWORDS, ENCODED);
        expect(hits.sort()).toEqual([...inRange].flatMap(([l, starts]) => starts.map((s): [string, number] => [l, s + from])).sort());
      }),
      { numRuns: 60 },
    );
  });

  it('stops at the first hit when asked', () => {
    const hits: number[] = [];
    finder?.forEach(Buffer.from('analytics segment analytics'), (_, at) => {
      hits.push(at);
      return false;
    });
    expect(hits).toEqual([0]);
  });

  it('keeps exact-case literals exact', () => {
    const bytes = Buffer.from('c2dwX C2DWX c2dwx U0VHTUVO u0vhtuvo');
    expect(sorted(new KeywordScanner([], ENCODED).scan(bytes))).toEqual([['U0VHTUVO', [18]], ['c2dwX', [0]]]);
  });

  it('leaves literals it cannot serve to RE2', () => {
    expect(LiteralFinder.create(['sg'])).toBeUndefined(); // shorter than its three anchor bytes
    expect(LiteralFinder.create(['ségment'])).toBeUndefined(); // any-case, not ASCII
    const scanner = new KeywordScanner(['sg', 'segment']);
    expect(sorted(scanner.scan(Buffer.from('SG segment')))).toEqual([['segment', [3]], ['sg', [0]]]);
    expect(scanner.test(Buffer.from('xx SEGMENT'))).toBe(true);
  });

  it('answers the gate as RE2 did, with and without a keyword', () => {
    const scanner = new KeywordScanner(KEYWORDS, ENCODED);
    expect(scanner.test(Buffer.from('nothing to see here'))).toBe(false);
    expect(scanner.test(Buffer.from(`${'x'.repeat(70_000)}WriteKey`))).toBe(true);
    expect(scanner.test(Buffer.from('SEGMEN'))).toBe(false);
  });
});
