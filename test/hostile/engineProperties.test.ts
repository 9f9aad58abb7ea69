// Property-based tests of the engine with fast-check: generated keys planted at random places in
// text that cannot contain a rule keyword are found exactly where they were planted, and nowhere
// else; arbitrary strings and bytes never make the engine or the byte scanner throw; the same
// content as LF, CRLF, UTF-8 with BOM and UTF-16 LE/BE gives the same findings.
import fc from 'fast-check';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/detect.js';
import { shannonEntropy } from '../../src/engine/entropy.js';
import { isPlaceholder } from '../../src/engine/placeholders.js';
import { scanContent } from '../../src/pool/scanItem.js';
import { loadRules } from '../../src/rules/load.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import type { Finding } from '../../src/types.js';
import { cleanupTemp, hostileTemp, parseReport, runBinary } from './support.js';

const engine = createEngine(loadRules());
/** SEGSCAN_FUZZ_SCALE=10 runs every property ten times as often (for a longer local fuzzing session). */
const scale = (runs: number) => Math.ceil(runs * Number(process.env.SEGSCAN_FUZZ_SCALE ?? 1));
afterAll(cleanupTemp);

/**
 * Filler words that contain no rule keyword (no "segment", "sg_", "-u", "basic", "writekey", ...),
 * no underscore or dash, and are too short to be decoded as base64: text built from them alone
 * can never produce a finding. Non-ASCII words (including an astral emoji, two UTF-16 code units)
 * check that columns count UTF-16 code units.
 */
const FILLER = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', '42', 'x', '{', '}', '(', ')', ';', '//', '#', ':', '=', '"quoted"', 'héllo', '日本語', '😀', '\t', 'Zq9'];

type PlantKind = 'env' | 'analytics' | 'sgp' | 'sg';
interface Plant {
  kind: PlantKind;
  seed: number;
  /** Where it goes: which line (modulo the line count) and which word gap (modulo the words). */
  line: number;
  gap: number;
}
interface Expected {
  ruleId: string;
  secret: string;
  line: number;
  column: number;
}

const RULE_FOR: Record<PlantKind, string> = {
  env: 'segment-credential-variable',
  analytics: 'segment-write-key-browser',
  sgp: 'segment-public-api-token',
  sg: 'segment-sg-key',
};

/** Mirrors the sg-key rule's identifier allowlist and entropy floor, so every planted sg_ key is one the rule must report. */
const SG_IDENTIFIER = /^sg_(?:[A-Z]{0,5}[a-z]{3,}[0-9]{0,3}|[A-Z][a-z][0-9]{0,3})+$/;

function secretFor(plant: Plant): string {
  const keys = fakeCredentials(`hostile-plant-${plant.kind}-${plant.seed}`);
  if (plant.kind === 'sgp') return keys.publicApiToken;
  if (plant.kind === 'sg') return keys.sgKey;
  return keys.writeKey;
}

/**
 * A random key now and then reads as a placeholder (a run like xxxx or xXXX, in any case, in a
 * low-entropy key; about once in 80,000). The random plants avoid those, using the engine's own
 * test, so this property stays about positions.
 */
function plantable(plant: Plant): boolean {
  const key = secretFor(plant);
  if (isPlaceholder(key)) return false;
  if (plant.kind !== 'sg') return true;
  return !SG_IDENTIFIER.test(key) && shannonEntropy(key) >= 3;
}

/** Build the text and where each key must be reported. Whole-line plants replace nothing; inline plants sit between filler words. */
function buildText(fillerLines: string[][], plants: Plant[]): { lines: string[]; expected: Expected[] } {
  const lines = fillerLines.map((words) => [...words]);
  const wholeLines: Array<{ at: number; text: string; plant: Plant }> = [];
  for (const plant of plants) {
    const secret = secretFor(plant);
    if (plant.kind === 'env' || plant.kind === 'analytics') {
      const text = plant.kind === 'env' ? `SEGMENT_WRITE_KEY=${secret}` : `analytics.load("${secret}");`;
      wholeLines.push({ at: plant.line, text, plant });
    } else {
      const words = lines[plant.line % lines.length] as string[];
      words.splice(plant.gap % (words.length + 1), 0, `\u0000${plants.indexOf(plant)}\u0000`);
    }
  }
  // Render inline plants, then insert whole lines (from the last index down, so indices stay valid).
  const rendered = lines.map((words) => words.join(' '));
  for (const w of wholeLines.sort((a, b) => b.at - a.at)) rendered.splice(w.at % (rendered.length + 1), 0, `\u0001${plants.indexOf(w.plant)}\u0001`);
  const expected: Expected[] = [];
  const out = rendered.map((line, index) => {
    let text = line;
    for (;;) {
      const m = /\u0000(\d+)\u0000|\u0001(\d+)\u0001/.exec(text);
      if (!m) break;
      const plant = plants[Number(m[1] ?? m[2])] as Plant;
      const secret = secretFor(plant);
      const replacement = m[1] !== undefined ? secret : plant.kind === 'env' ? `SEGMENT_WRITE_KEY=${secret}` : `analytics.load("${secret}");`;
      const offsetInReplacement = replacement.indexOf(secret);
      expected.push({ ruleId: RULE_FOR[plant.kind], secret, line: index + 1, column: m.index + offsetInReplacement + 1 });
      text = text.slice(0, m.index) + replacement + text.slice(m.index + m[0].length);
    }
    return text;
  });
  return { lines: out, expected };
}

const fillerLine = fc.array(fc.constantFrom(...FILLER), { maxLength: 8 });
const plantArb = fc.record({
  kind: fc.constantFrom<PlantKind>('env', 'analytics', 'sgp', 'sg'),
  seed: fc.integer({ min: 0, max: 1_000_000 }),
  line: fc.nat(1000),
  gap: fc.nat(1000),
});
const documentArb = fc.record({
  filler: fc.array(fillerLine, { minLength: 1, maxLength: 30 }),
  plants: fc.uniqueArray(plantArb, { maxLength: 6, selector: (p) => `${p.kind}:${p.seed}` }).filter((ps) => ps.every(plantable)),
});

const summary = (findings: Finding[]) =>
  findings.map((f) => ({ ruleId: f.ruleId, secret: f.secret, line: f.start.line, column: f.start.column })).sort((a, b) => a.line - b.line || a.column - b.column);

describe('planted keys', () => {
  it('the oracle itself: a hand-checked document with every plant kind and an emoji before an inline key', () => {
    const plants: Plant[] = [
      { kind: 'sgp', seed: 1, line: 0, gap: 1 },
      { kind: 'env', seed: 2, line: 1, gap: 0 },
      { kind: 'sg', seed: 3, line: 1, gap: 2 },
      { kind: 'analytics', seed: 4, line: 0, gap: 0 },
    ];
    expect(plants.every(plantable)).toBe(true);
    const { lines, expected } = buildText([['😀', 'lorem'], ['a', 'b']], plants);
    const [sgp, env, sg, analytics] = plants.map(secretFor) as [string, string, string, string];
    expect(lines).toEqual([`analytics.load("${analytics}");`, `😀 ${sgp} lorem`, `SEGMENT_WRITE_KEY=${env}`, `a b ${sg}`]);
    expect(expected.sort((a, b) => a.line - b.line)).toEqual([
      { ruleId: 'segment-write-key-browser', secret: analytics, line: 1, column: 17 },
      { ruleId: 'segment-public-api-token', secret: sgp, line: 2, column: 4 },
      { ruleId: 'segment-credential-variable', secret: env, line: 3, column: 19 },
      { ruleId: 'segment-sg-key', secret: sg, line: 4, column: 5 },
    ]);
    expect(summary(engine.detect({ text: lines.join('\n'), path: 'notes.txt', startLine: 1 }))).toEqual(expected);
  });

  it('a random write key that happens to contain a rule stop word ("test", "token") is still reported', () => {
    // About 1 random 32-character key in 15,000 contains one of these by chance.
    const writeKey = fakeCredentials('hostile-stopword').writeKey;
    const withTest = `${writeKey.slice(0, 12)}TeSt${writeKey.slice(16)}`;
    const withToken = `${writeKey.slice(0, 20)}tOkEn${writeKey.slice(25)}`;
    const text = `SEGMENT_WRITE_KEY=${withTest}\nSEGMENT_API_KEY=${withToken}\n`;
    expect(summary(engine.detect({ text, path: 'notes.txt', startLine: 1 })).map((f) => [f.secret, f.line, f.column])).toEqual([
      [withTest, 1, 19],
      [withToken, 2, 17],
    ]);
  });

  it('a random key that happens to contain four equal characters or a word like "todo" is still reported', () => {
    // Real keys are random: about 1 public API token in 2,000 (and 1 write key in 8,000) contains such a run by chance.
    const token = fakeCredentials('hostile-run').publicApiToken;
    const withRun = `${token.slice(0, 30)}7777${token.slice(34)}`;
    const withWord = `${token.slice(0, 30)}ToDo${token.slice(34)}`;
    const writeKey = fakeCredentials('hostile-run').writeKey;
    const writeKeyWithRun = `${writeKey.slice(0, 10)}QQQQ${writeKey.slice(14)}`;
    const text = `token ${withRun}\ntoken ${withWord}\nSEGMENT_WRITE_KEY=${writeKeyWithRun}\n`;
    expect(summary(engine.detect({ text, path: 'notes.txt', startLine: 1 }))).toEqual([
      { ruleId: 'segment-public-api-token', secret: withRun, line: 1, column: 7 },
      { ruleId: 'segment-public-api-token', secret: withWord, line: 2, column: 7 },
      { ruleId: 'segment-credential-variable', secret: writeKeyWithRun, line: 3, column: 19 },
    ]);
  });

  it('filler alone never produces a finding', () => {
    fc.assert(
      fc.property(fc.array(fillerLine, { maxLength: 40 }), (filler) => {
        expect(engine.detect({ text: filler.map((w) => w.join(' ')).join('\n'), path: 'notes.txt', startLine: 1 })).toEqual([]);
      }),
      { numRuns: scale(200) },
    );
  });

  it('every planted key is found at its exact line and column, with its exact end, and nothing else is reported', () => {
    fc.assert(
      fc.property(documentArb, ({ filler, plants }) => {
        const { lines, expected } = buildText(filler, plants);
        const findings = engine.detect({ text: lines.join('\n'), path: 'notes.txt', startLine: 1 });
        expect(summary(findings)).toEqual([...expected].sort((a, b) => a.line - b.line || a.column - b.column));
        for (const f of findings) expect(f.end).toEqual({ line: f.start.line, column: f.start.column + f.secret.length });
      }),
      { numRuns: scale(250) },
    );
  });

  it('a fragment that starts at line N shifts every finding by N - 1 lines and no columns', () => {
    fc.assert(
      fc.property(documentArb, fc.integer({ min: 1, max: 100_000 }), ({ filler, plants }, startLine) => {
        const { lines } = buildText(filler, plants);
        const text = lines.join('\n');
        const base = engine.detect({ text, path: 'notes.txt', startLine: 1 });
        const shifted = engine.detect({ text, path: 'notes.txt', startLine });
        expect(shifted.map((f) => [f.start.line - startLine + 1, f.start.column, f.secret])).toEqual(base.map((f) => [f.start.line, f.start.column, f.secret]));
      }),
      { numRuns: scale(50) },
    );
  });
});

function encodings(lines: string[]): Record<string, Buffer> {
  const lf = lines.join('\n');
  const crlf = lines.join('\r\n');
  const utf16be = (text: string) => Buffer.from(text, 'utf16le').swap16();
  return {
    lf: Buffer.from(lf),
    crlf: Buffer.from(crlf),
    'lf+trailing-newline': Buffer.from(`${lf}\n`),
    'utf8-bom': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(lf)]),
    'utf8-bom-crlf': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(crlf)]),
    'utf16le-bom': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lf, 'utf16le')]),
    'utf16le-bom-crlf': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(crlf, 'utf16le')]),
    'utf16be-bom': Buffer.concat([Buffer.from([0xfe, 0xff]), utf16be(lf)]),
  };
}

describe('keywords', () => {
  it('a keyword whose occurrence overlaps another keyword\'s ("api_key" and "key_id" in "api_key_id") still selects its rule', () => {
    const dir = hostileTemp('overlapping-keywords');
    const rule = (id: string, keyword: string, pattern: string) =>
      [`id: ${id}`, 'title: Overlapping keywords', 'description: A user rule.', 'kind: generic', 'severity: low', `keywords: ['${keyword}']`, `pattern: '${pattern}'`,
        'verify: none', 'remediation: Rotate the key.', 'examples:', `  match: ['${keyword}={{alnum:32}}']`, '  noMatch: []', ''].join('\n');
    writeFileSync(join(dir, 'a.yaml'), rule('api-key', 'api_key', 'api_key=([A-Za-z0-9]{32})\\b'));
    writeFileSync(join(dir, 'b.yaml'), rule('key-id', 'key_id', 'key_id=([A-Za-z0-9]{32})\\b'));
    const userEngine = createEngine(loadRules({ builtin: false, extraDirs: [dir] }));
    const key = fakeCredentials('overlapping-keywords').writeKey;
    expect(userEngine.detect({ text: `api_key_id=${key}\n`, path: 'x.cfg', startLine: 1 }).map((f) => [f.ruleId, f.start.column])).toEqual([['key-id', 12]]);
  });
});

describe('line endings and encodings', () => {
  it('LF, CRLF, BOM and UTF-16 variants of the same content give the same findings', () => {
    fc.assert(
      fc.property(documentArb, ({ filler, plants }) => {
        const { lines, expected } = buildText(filler, plants);
        const want = [...expected].sort((a, b) => a.line - b.line || a.column - b.column);
        for (const [name, bytes] of Object.entries(encodings(lines))) {
          const result = scanContent(engine, bytes, { path: 'notes.txt', startLine: 1 });
          expect(result.outcome, name).toBe('scanned');
          if (result.outcome !== 'scanned') continue;
          expect(summary(result.findings), name).toEqual(want);
        }
      }),
      { numRuns: scale(80) },
    );
  });
});

/** Text that stresses the rules: their keywords and separators, key-shaped runs, base64, lone surrogates, control characters. */
const hostileText = fc
  .array(
    fc.oneof(
      fc.constantFrom(
        'segment', 'SEGMENT_WRITE_KEY', 'segmentWriteKey', 'segment.io', 'segment://', '@api.segment.io', '=', ':', ': ', '"', "'", '`', '\\"', '{', '}', '[segment]',
        'sgp_', 'sg_', 'analytics.load(', 'writeKey', 'cdn.segment.com/analytics.js/v1/', 'Basic ', 'Authorization: Basic ', '-u ', '--user ', 'btoa(',
        'c2dwX', 'c2VnbWVu', 'U0VHTUVO', 'segscan:allow', 'name: SEGMENT_KEY', 'value: ', '.', '\n', '\r\n', '\r', ' ', '\t', '\u0000', '\ufeff', '\u2028',
        '\ud800', '\udc00', '\ud83d\ude00', 'é', '${SEGMENT_KEY}', 'process.env.SEGMENT_KEY || ',
      ),
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => Object.values(fakeCredentials(`hostile-noise-${n}`))[n % 5] as string),
      fc.integer({ min: 0, max: 1_000_000 }).map((n) => Buffer.from(`${fakeCredentials(`hostile-b64-${n}`).writeKey}:`).toString('base64')),
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** Offset in `text` of a 1-based line/column, counting lines as the engine does (LF only). */
function offsetOf(text: string, position: { line: number; column: number }): number {
  let offset = 0;
  for (let line = 1; line < position.line; line++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return -1;
    offset = next + 1;
  }
  return offset + position.column - 1;
}

describe('arbitrary input', () => {
  it('engine.detect never throws, and every finding points at its secret in the text', () => {
    fc.assert(
      fc.property(hostileText, fc.constantFrom('notes.txt', '.env', 'config.json', 'web/index.html', 'k8s/secret.yaml'), (text, path) => {
        const findings = engine.detect({ text, path, startLine: 1 });
        for (const f of findings) {
          const start = offsetOf(text, f.start);
          const end = offsetOf(text, f.end);
          expect(start).toBeGreaterThanOrEqual(0);
          expect(end).toBeGreaterThan(start);
          expect(end).toBeLessThanOrEqual(text.length);
          // A decoded secret is placed on its encoded token; every other secret is the text at its span.
          if (!f.signals.includes('decoded:base64')) expect(text.slice(start, end)).toBe(f.secret);
        }
      }),
      { numRuns: scale(400) },
    );
  });

  it('fully random strings (any code unit, lone surrogates) never make detect throw', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 2000 }), (text) => {
        expect(Array.isArray(engine.detect({ text, path: '.env', startLine: 1 }))).toBe(true);
      }),
      { numRuns: scale(200) },
    );
  });

  it('arbitrary bytes (with or without a BOM) never make the byte scanner throw', () => {
    const boms = [[], [0xef, 0xbb, 0xbf], [0xff, 0xfe], [0xfe, 0xff], [0xff, 0xfe, 0x00]];
    fc.assert(
      fc.property(fc.constantFrom(...boms), fc.uint8Array({ maxLength: 4096 }), hostileText, (bom, random, text) => {
        for (const body of [random, Buffer.from(text), Buffer.from(text, 'utf16le')]) {
          const result = scanContent(engine, Buffer.concat([Buffer.from(bom), body]), { path: '.env', startLine: 1 });
          expect(['scanned', 'skipped']).toContain(result.outcome);
        }
      }),
      { numRuns: scale(200) },
    );
  });

  it('segscan dir over files of arbitrary bytes exits 0 or 1 with a JSON report, never an error', () => {
    const root = hostileTemp('random-bytes');
    const files = fc.sample(fc.tuple(fc.uint8Array({ maxLength: 20_000 }), hostileText), { numRuns: scale(60) });
    files.forEach(([bytes, text], i) => {
      writeFileSync(join(root, `random-${i}.bin`), bytes);
      writeFileSync(join(root, `text-${i}.env`), text);
    });
    // The built binary: more than 256 files go to worker threads, which load compiled JavaScript.
    const result = runBinary(['dir', root, '--format', 'json']);
    expect([0, 1], result.stderr).toContain(result.exitCode);
    expect(result.stderr).toBe('');
    const report = parseReport(result.stdout);
    expect(report.stats.filesScanned + report.skipped.length).toBe(files.length * 2);
    expect(report.skipped.every((s) => s.reason === 'binary')).toBe(true);
  });
});
