// The engine matches on UTF-8 bytes and turns byte offsets into UTF-16 columns only for findings.
// These tests pin what that must not change: columns after multi-byte characters, text that is
// not valid UTF-8, and how far from a keyword a match may lie in text that is not ASCII.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/detect.js';
import { scanContent } from '../../src/pool/scanItem.js';
import { loadRules } from '../../src/rules/load.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { engineWithTestRules } from '../helpers/engine.js';
import { tempDir } from '../helpers/fixtureTree.js';

const engine = engineWithTestRules();
const tokens = [1, 2, 3].map((n) => fakeCredentials(`utf8-text-${n}`).publicApiToken);

function scanned(bytes: Buffer, path = 'notes.txt') {
  const result = scanContent(engine, bytes, { path, startLine: 1 });
  if (result.outcome !== 'scanned') throw new Error(`expected a scan, got ${result.outcome}`);
  return result.findings.map((f) => [f.secret, f.start.line, f.start.column, f.end.column]);
}

/** Where `needle` is in `text`, as 1-based line and UTF-16 column (what an editor shows). */
function editorPosition(text: string, needle: string): [number, number] {
  const at = text.indexOf(needle);
  const before = text.slice(0, at);
  return [before.split('\n').length, at - before.lastIndexOf('\n')];
}

describe('UTF-8 text scanned as bytes', () => {
  it('gives UTF-16 columns for several keys on one line after 2-, 3- and 4-byte characters', () => {
    const text = `é ${tokens[0]} 日本語 ${tokens[1]} 😀😀 ${tokens[2]}\nnext`;
    const expected = tokens.map((t) => {
      const [line, column] = editorPosition(text, t as string);
      return [t, line, column, column + (t as string).length];
    });
    expect(scanned(Buffer.from(text))).toEqual(expected);
  });

  it('reads invalid UTF-8 as U+FFFD per bad sequence, and counts each as one column', () => {
    const bytes = Buffer.concat([Buffer.from([0xc3, 0x28, 0xff]), Buffer.from(` ${tokens[0]}\n\xe9 ${tokens[1]}`, 'latin1')]);
    const text = bytes.toString('utf8');
    expect(text.startsWith('\uFFFD(\uFFFD ')).toBe(true);
    expect(scanned(bytes)).toEqual(tokens.slice(0, 2).map((t) => {
      const [line, column] = editorPosition(text, t as string);
      return [t, line, column, column + (t as string).length];
    }));
  });

  it('finds the same keys, at the same places, in a UTF-8 file, the same with a BOM, and in UTF-16', () => {
    const text = `# 설정 — ключи\nTOKEN=${tokens[0]}\n😀 TOKEN=${tokens[1]}\n`;
    const variants = [
      Buffer.from(text),
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    ];
    const results = variants.map((bytes) => scanned(bytes));
    expect(results[0]).toEqual([[tokens[0], 2, 7, 7 + 68], [tokens[1], 3, 10, 10 + 68]]);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });
});

describe('how far from its keyword a match may lie', () => {
  const dir = tempDir({
    'reach.yaml': [
      'id: long-reach', 'title: Long reach', 'description: A user rule whose match may lie far from its keyword.', 'kind: generic', 'severity: low',
      "keywords: ['marker']", "pattern: 'marker[\\s\\S]*?=([A-Za-z0-9]{32})\\b'", 'verify: none', 'remediation: Rotate the key.',
      'examples:', "  match: ['marker={{alnum:32}}']", '  noMatch: []', '',
    ].join('\n'),
  });
  const reachEngine = createEngine(loadRules({ builtin: false, extraDirs: [dir] }));
  const key = fakeCredentials('utf8-reach').writeKey;
  const find = (text: string) => {
    const result = scanContent(reachEngine, Buffer.from(text), { path: 'notes.txt', startLine: 1 });
    return result.outcome === 'scanned' ? result.findings.map((f) => [f.start.line, f.start.column]) : [];
  };

  it('reaches 2,048 characters in ASCII text', () => {
    expect(find(`marker ${'x'.repeat(2000)}=${key} ${'y'.repeat(20_000)}`)).toEqual([[1, 2009]]);
  });

  it('reaches 2,048 characters in text of 3-byte characters too (6,000 bytes away)', () => {
    // Were the window 2,048 bytes, this key would lie outside it.
    expect(find(`marker ${'日'.repeat(2000)}=${key} ${'語'.repeat(20_000)}`)).toEqual([[1, 2009]]);
  });
});
