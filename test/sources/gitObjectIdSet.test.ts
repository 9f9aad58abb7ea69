import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ObjectIdSet } from '../../src/sources/gitObjectIdSet.js';

const sha1 = (n: number): string => createHash('sha1').update(`blob ${n}`).digest('hex');

describe('ObjectIdSet', () => {
  it('remembers every id it was given across many resizes, and nothing else', () => {
    const set = new ObjectIdSet();
    for (let i = 0; i < 20_000; i++) expect(set.add(sha1(i))).toBe(true);
    expect(set.size).toBe(20_000);
    for (let i = 0; i < 20_000; i++) expect(set.has(sha1(i))).toBe(true);
    for (let i = 20_000; i < 25_000; i++) expect(set.has(sha1(i))).toBe(false);
    expect(set.add(sha1(7))).toBe(false);
    expect(set.size).toBe(20_000);
  });

  it('handles SHA-256 ids and rejects what is not an id', () => {
    const set = new ObjectIdSet();
    const id = createHash('sha256').update('x').digest('hex');
    expect(set.add(id)).toBe(true);
    expect(set.has(id)).toBe(true);
    expect(set.has(sha1(1))).toBe(false);
    expect(() => set.add('0'.repeat(64))).toThrow();
    expect(() => set.add('not-hex')).toThrow();
  });
});
