// What tells a random key from an identifier or a typed placeholder: measured on real code
// (a real write key in a public test file read as an identifier of four words; a documentation
// value counting 1a2b3c… read as a key).
import { describe, expect, it } from 'vitest';
import { looksLikeIdentifier } from '../../src/engine/entropy.js';
import { isPlaceholder } from '../../src/engine/placeholders.js';
import { randomAlnum } from '../../src/rules/templates.js';

describe('looksLikeIdentifier', () => {
  it('takes identifiers made of words, vowel-less abbreviations included', () => {
    for (const id of ['GoogleCloudVisionV1p4beta1Vertex', 'enableLocateOrCreateI18nNodeImpl', 'HttpClientRequestHandlerFactory1', 'XmlHttpRequestEventTargetHandler']) {
      expect(looksLikeIdentifier(id), id).toBe(true);
    }
  });

  it('does not take random runs of consonants for words', () => {
    expect(looksLikeIdentifier('x1Rgqb7cdWpkm3efTvxz5ghBcdf8ijkl')).toBe(false);
  });

  it('rejects about one random key in 500', () => {
    let rejected = 0;
    for (let i = 0; i < 20_000; i++) if (looksLikeIdentifier(randomAlnum(32, Math.random))) rejected++;
    expect(rejected / 20_000).toBeLessThan(0.004);
  });
});

describe('isPlaceholder', () => {
  it('takes two counts interleaved, as typed in documentation', () => {
    expect(isPlaceholder('1a2b3c4d5e6f7g8h9i0j')).toBe(true);
    expect(isPlaceholder('a1b2c3d4e5f6g7h8')).toBe(true);
    expect(isPlaceholder('abcdef7Kq2LmZx9PwR4tYb6NcV3sHj8G')).toBe(true); // counting run, as before
  });

  it('leaves random keys alone', () => {
    let taken = 0;
    for (let i = 0; i < 20_000; i++) if (isPlaceholder(randomAlnum(32, Math.random))) taken++;
    expect(taken).toBeLessThan(5);
  });
});
