// The look at a base64 token's bytes must say what decoding it would: readable text or not.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Tokens, decodeToken, decodesReadable } from '../../src/engine/decode.js';

const check = (token: string) => {
  const bytes = Buffer.from(token, 'latin1');
  expect(decodesReadable(bytes, 0, bytes.length)).toBe(decodeToken(token) !== undefined);
};

describe('decodesReadable', () => {
  it('agrees with decoding on text, bytes and base64-looking tokens', () => {
    // Base64 of text (ASCII, accents, emoji, control characters), and arbitrary bytes.
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (text) => check(Buffer.from(text, 'utf8').toString('base64'))), { numRuns: 2000 });
    fc.assert(fc.property(fc.uint8Array({ minLength: 12, maxLength: 60 }), (raw) => check(Buffer.from(raw).toString('base64').replace(/=+$/, ''))), { numRuns: 2000 });
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z0-9+/]{16,80}={0,2}$/), check), { numRuns: 2000 });
  });

  it('turns away identifiers that decode to binary, and keeps real encoded keys', () => {
    const words = ['getElementsByTagName', 'addEventListener', 'XMLHttpRequestUpload', 'createElementNS'];
    expect(words.filter((w) => decodesReadable(Buffer.from(w), 0, w.length))).toEqual([]);
    for (const text of ['sgp_abcdefghijklmnopqrstuvwxyz:', 'clé: 🔑 écrite', 'ab\uFFFDcdefghij']) {
      const encoded = Buffer.from(text).toString('base64');
      expect(decodesReadable(Buffer.from(encoded), 0, encoded.length)).toBe(!text.includes('\uFFFD'));
    }
  });

  it('agrees on the edges of UTF-8: surrogates, overlong forms, past U+10FFFF, cut characters', () => {
    const edges = [[0xed, 0xa0, 0x80], [0xed, 0x9f, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0xa0, 0x80], [0xc0, 0x80], [0xc2, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xf4, 0x8f, 0xbf, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x90, 0x80, 0x80], [0xef, 0xbf, 0xbd], [0xe2, 0x82], [0x7f], [0x09, 0x0a, 0x0d]];
    const piece = fc.oneof(fc.constantFrom(...edges), fc.constant([0x61]), fc.constant([0x41, 0x42]));
    fc.assert(fc.property(fc.array(piece, { minLength: 1, maxLength: 12 }), (parts) => check(Buffer.from(parts.flat()).toString('base64'))), { numRuns: 3000 });
  });
});

/** Every maximal run of base64 characters, the plain way, with up to two `=` after it. */
function plainTokens(bytes: Uint8Array, from: number, to: number): Array<[number, number]> {
  const isB64 = (c: number) => /[A-Za-z0-9+/]/.test(String.fromCharCode(c));
  const out: Array<[number, number]> = [];
  let i = from;
  while (i < to) {
    if (!isB64(bytes[i] as number)) { i++; continue; }
    const start = i;
    while (i < to && isB64(bytes[i] as number)) i++;
    let end = i;
    while (end < to && end - i < 2 && bytes[end] === 61) end++;
    const text = Buffer.from(bytes.subarray(start, end)).toString('latin1');
    if (end - start >= 16 && end - start <= 4096 && /[A-Z]/.test(text) && /[a-z]/.test(text)) out.push([start, end]);
    i = end;
  }
  return out;
}

describe('base64Tokens', () => {
  it('finds every token a plain scan finds, in any range of the text', () => {
    const piece = fc.oneof(fc.stringMatching(/^[A-Za-z0-9+/]{1,24}$/), fc.constantFrom('=', '==', '===', ' ', '"', '.', '\n', 'é', '-', '_'));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), fc.nat(), fc.nat(), (parts, a, b) => {
        const bytes = Buffer.from(parts.join(''));
        const from = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const to = from + (bytes.length - from === 0 ? 0 : b % (bytes.length - from + 1));
        expect([...base64Tokens(bytes, from, to)]).toEqual(plainTokens(bytes, from, to));
      }),
      { numRuns: 3000 },
    );
  });
});
