// Binary content and BOM-less UTF-16 are scanned, not skipped: a NUL byte near the top of a file,
// a key stored as UTF-16 inside a program, or a file a Windows tool wrote without a BOM.
import { describe, expect, it } from 'vitest';
import { binaryTextView } from '../../src/engine/binaryText.js';
import { sniffEncoding } from '../../src/engine/text.js';
import { scanContent } from '../../src/pool/scanItem.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { builtinEngine } from '../helpers/engine.js';

const { writeKey } = fakeCredentials('binary-content');
const engine = builtinEngine();
const found = (content: Uint8Array, path = 'file.bin') => {
  const result = scanContent(engine, content, { path, startLine: 1 });
  return result.outcome === 'scanned' ? result.findings.map((f) => [f.ruleId, f.start.line, f.start.column, f.secret === writeKey]) : result;
};

describe('the text view of binary content', () => {
  it('keeps every offset: non-text bytes become spaces, lines stay where they were', () => {
    const bytes = Buffer.from([0x61, 0x00, 0x0a, 0xff, 0x62, 0x09, 0x7f]);
    expect(binaryTextView(bytes).toString('latin1')).toBe('a \n b\t ');
  });

  it('writes a UTF-16LE string out as its characters, padded to its length', () => {
    const bytes = Buffer.concat([Buffer.from([1, 2]), Buffer.from('segment', 'utf16le'), Buffer.from([3])]);
    const view = binaryTextView(bytes);
    expect(view.length).toBe(bytes.length);
    expect(view.toString('latin1')).toBe(`  segment${' '.repeat(7)} `);
  });
});

describe('sniffing', () => {
  it('reads BOM-less UTF-16 as text, either byte order, and NUL-dotted binary as binary', () => {
    expect(sniffEncoding(Buffer.from('SEGMENT_WRITE_KEY=abc\r\n', 'utf16le'))).toBe('utf-16le');
    expect(sniffEncoding(Buffer.from('SEGMENT_WRITE_KEY=abc\r\n', 'utf16le').swap16())).toBe('utf-16be');
    expect(sniffEncoding(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0]))).toBe('binary');
    expect(sniffEncoding(Buffer.from('plain text'))).toBe('utf-8');
  });
});

describe('what binary content can no longer hide', () => {
  it('a key after a NUL byte in the first 8,000 bytes of a script', () => {
    expect(found(Buffer.from(`/* \0 */\nconst SEGMENT_WRITE_KEY = "${writeKey}";\n`), 'app.js')).toEqual([['segment-credential-variable', 2, 28, true]]);
  });

  it('a UTF-16LE file without a BOM, at the column an editor shows', () => {
    expect(found(Buffer.from(`# settings\r\nSEGMENT_WRITE_KEY=${writeKey}\r\n`, 'utf16le'), '.env')).toEqual([['segment-credential-variable', 2, 19, true]]);
  });

  it('a key stored as a UTF-16LE string inside a program', () => {
    const program = Buffer.concat([Buffer.alloc(300, 0x90), Buffer.from([0, 0, 1]), Buffer.from(`segmentWriteKey = "${writeKey}"`, 'utf16le'), Buffer.alloc(64)]);
    expect(found(program)).toEqual([['segment-credential-variable', 1, 323, true]]);
  });

  it('a binary file without a keyword is scanned and clean (not skipped)', () => {
    expect(scanContent(engine, Buffer.from([0x89, 0x50, 0, 1, 2, 3]), { path: 'logo.png', startLine: 1 })).toEqual({ outcome: 'scanned', bytes: 6, findings: [] });
  });
});
