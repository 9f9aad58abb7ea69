import { describe, expect, it } from 'vitest';
import { decodeBytes } from '../../src/engine/text.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { engineWithTestRules } from '../helpers/engine.js';

const { publicApiToken: token } = fakeCredentials('positions');
const engine = engineWithTestRules();

function scanBytes(bytes: Uint8Array, path = 'file.txt') {
  const decoded = decodeBytes(bytes);
  if (decoded.kind !== 'text') throw new Error('expected text');
  return engine.detect({ text: decoded.text, path, startLine: 1 });
}

const positions = (text: string) => scanBytes(Buffer.from(text)).map((f) => [f.start.line, f.start.column, f.end.line, f.end.column]);

describe('line and column of findings', () => {
  it('reports 1-based start and exclusive end on LF files', () => {
    expect(positions(`a\nb\n   ${token}\n`)).toEqual([[3, 4, 3, 4 + token.length]]);
  });

  it('gives the same positions for CRLF line endings', () => {
    expect(positions(`a\r\nb\r\n   ${token}\r\n`)).toEqual([[3, 4, 3, 4 + token.length]]);
  });

  it('ignores a UTF-8 BOM, as editors do', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(`${token} x`)]);
    expect(scanBytes(bytes).map((f) => [f.start.line, f.start.column])).toEqual([[1, 1]]);
  });

  it('decodes UTF-16 LE and BE files with a BOM', () => {
    const text = `first\r\n  key: ${token}\n`;
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    be[0] = 0xfe;
    be[1] = 0xff;
    for (const bytes of [le, be]) expect(scanBytes(bytes).map((f) => [f.start.line, f.start.column])).toEqual([[2, 8]]);
  });

  it('counts columns in UTF-16 code units after non-ASCII text', () => {
    expect(positions(`é😀 ${token}`)).toEqual([[1, 5, 1, 5 + token.length]]);
  });

  it('finds a key deep in a 1 MB single-line file at the right column', () => {
    const filler = 'a=1;'.repeat(250_000);
    const findings = scanBytes(Buffer.from(`${filler}var k="${token}";${filler}`), 'bundle.min.js');
    expect(findings.map((f) => [f.start.line, f.start.column])).toEqual([[1, filler.length + 8]]);
  });

  it('finds a key at column 1 of the last line without a trailing newline', () => {
    expect(positions(`x\n${token}`)).toEqual([[2, 1, 2, 1 + token.length]]);
  });

  it('offsets lines by the fragment start line', () => {
    const found = engine.detect({ text: `\n${token}`, path: 'a', startLine: 10 });
    expect(found[0]?.start).toEqual({ line: 11, column: 1 });
  });

  it('treats NUL bytes as binary', () => {
    expect(decodeBytes(Buffer.from([0x61, 0, 0x62])).kind).toBe('binary');
  });
});
