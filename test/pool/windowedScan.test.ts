// Content too big to hold whole is scanned in windows: a key is found once wherever it falls,
// across a window boundary too, at its line and column in the whole file; repeats are counted.
import { describe, expect, it } from 'vitest';
import { WindowedScanner } from '../../src/pool/windowedScan.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { builtinEngine } from '../helpers/engine.js';

const engine = builtinEngine();
const keys = [0, 1, 2].map((i) => fakeCredentials(`windowed-${i}`).writeKey);

/** Scan `text` in windows of `window` bytes (overlap 4 KiB), fed in chunks of `chunk` bytes. */
function scanInWindows(text: string, window: number, chunk: number) {
  const scanner = new WindowedScanner(engine, { path: 'big.env', startLine: 1 }, window, 4096);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += chunk) scanner.push(bytes.subarray(i, i + chunk));
  const { bytes: scanned, findings } = scanner.end();
  return { scanned, found: findings.map((f) => [f.secret, f.start.line, f.start.column, f.moreOccurrences ?? 0]) };
}

/** Where each key is in the whole text, as the engine reports it on the text at once. */
function scanWhole(text: string) {
  return engine.detect({ text, path: 'big.env', startLine: 1 }).map((f) => [f.secret, f.start.line, f.start.column, f.moreOccurrences ?? 0]);
}

describe('a windowed scan', () => {
  const filler = (n: number) => `${'x'.repeat(70)}\n`.repeat(n);
  const text = `${filler(200)}SEGMENT_WRITE_KEY=${keys[0]}\n${filler(300)}SEGMENT_WRITE_KEY=${keys[1]}\n${filler(5)}`;

  it.each([
    ['windows of 16 KiB fed 1 KiB at a time', 16 * 1024, 1024],
    ['windows of 20 KiB fed in 7-byte pieces', 20 * 1024, 7],
    ['windows of 8 KiB fed in one piece', 8 * 1024, 1 << 20],
  ])('finds what a whole scan finds, at the same lines and columns: %s', (_name, window, chunk) => {
    expect(scanInWindows(text, window, chunk)).toEqual({ scanned: Buffer.byteLength(text), found: scanWhole(text) });
  });

  it('finds a key that straddles a window boundary once', () => {
    // The window is 16 KiB + 4 KiB of overlap: put the key across the 20 KiB mark.
    const before = 20 * 1024 - 30;
    const straddling = `${'y'.repeat(before - 1)}\nSEGMENT_WRITE_KEY=${keys[2]}\n`;
    expect(scanInWindows(straddling, 16 * 1024, 4096).found).toEqual([[keys[2], 2, 19, 0]]);
  });

  it('on one long line, counts columns from the start of the line, not of the window', () => {
    const line = `${'z '.repeat(30_000)}SEGMENT_WRITE_KEY=${keys[0]} done`;
    expect(scanInWindows(line, 16 * 1024, 1000).found).toEqual([[keys[0], 1, 60_019, 0]]);
  });

  it('collapses one key repeated across many windows into ten findings and a count', () => {
    const repeated = `SEGMENT_WRITE_KEY=${keys[1]}\n`.repeat(3000);
    const { found } = scanInWindows(repeated, 16 * 1024, 4096);
    expect(found).toHaveLength(10);
    expect(found[9]?.[3]).toBe(2990);
  });
});
