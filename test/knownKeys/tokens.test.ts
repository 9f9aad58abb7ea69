// The known-key matcher: which runs of letters and digits are looked up, and that only a whole
// token of a known key's length is a hit.
import { describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/engine/fingerprint.js';
import { createKnownKeyMatcher } from '../../src/knownKeys/tokens.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import type { KnownKeySource } from '../../src/types.js';

const { writeKey, legacyWriteKey } = fakeCredentials('known-key-tokens');
const source: KnownKeySource = {
  workspace: { id: 'w', slug: 'acme', name: 'Acme' },
  source: { id: 's', slug: 'web', name: 'Web', enabled: true, kind: 'website', destinations: 1 },
};
// An old key with a digit, as nearly all are (the scan then skips 10-letter words).
const legacy = `${legacyWriteKey.slice(0, 9)}7`;
const matcher = createKnownKeyMatcher({ lengths: [32, 10], legacyWithoutDigit: false, entries: [[sha256Hex(writeKey), source], [sha256Hex(legacy), source]] });
/** The hits as text; offsets are in bytes. */
const hits = (text: string) => {
  const bytes = Buffer.from(text);
  return matcher.hits(bytes).map((h) => bytes.toString('utf8', h.start, h.end));
};

describe('known-key matcher', () => {
  it('finds a key between any non-alphanumeric characters, at the edges of the text too', () => {
    expect(hits(writeKey)).toEqual([writeKey]);
    expect(hits(`a="${writeKey}";b=_${writeKey}_;/${legacy}.`)).toEqual([writeKey, writeKey, legacy]);
    expect(hits(`é${writeKey}€`)).toEqual([writeKey]);
  });

  it('ignores a key inside a longer run of letters and digits', () => {
    expect(hits(`x${writeKey}`)).toEqual([]);
    expect(hits(`${writeKey}0`)).toEqual([]);
    expect(hits(`${legacy}${legacy}`)).toEqual([]);
  });

  it('knows old keys are lower case', () => {
    expect(hits(legacy.toUpperCase())).toEqual([]);
  });

  it('looks up 10-letter words only when one of the old keys has no digit', () => {
    const word = 'javascript';
    const withWord = createKnownKeyMatcher({ lengths: [10], legacyWithoutDigit: true, entries: [[sha256Hex(word), source]] });
    expect(withWord.hits(Buffer.from(`a ${word} b`)).length).toBe(1);
    const withoutWord = createKnownKeyMatcher({ lengths: [10], legacyWithoutDigit: false, entries: [[sha256Hex(word), source]] });
    expect(withoutWord.hits(Buffer.from(`a ${word} b`)).length).toBe(0);
  });

  it('stops at the first hit when only asked whether there is one', () => {
    expect(matcher.occursIn(Buffer.from(`nothing here ${'Ab1'.repeat(11)}`))).toBe(false);
    expect(matcher.occursIn(Buffer.from(`k ${writeKey}`))).toBe(true);
  });
});
