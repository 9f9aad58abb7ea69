// The built-in rules against files as users have them: which rule reports what, where, and how
// sure it is. See engineCases.ts for the table.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/types.js';
import { builtinEngine } from '../helpers/engine.js';
import { credentialCases, keys, lookAlikeCases, type EngineCase } from './engineCases.js';

const engine = builtinEngine();

function seen(c: EngineCase) {
  return engine.detect({ text: c.text, path: c.path, startLine: 1 }).map((f: Finding) => ({
    ruleId: f.ruleId,
    secret: f.secret,
    start: f.start,
    end: f.end,
    confidence: f.confidence,
  }));
}

describe('built-in rules: every credential form', () => {
  for (const c of credentialCases) {
    it(`${c.name} (${c.path})`, () => {
      expect(seen(c)).toEqual(c.expected);
    });
  }

  it('exercises every built-in rule', () => {
    const covered = new Set(credentialCases.flatMap((c) => c.expected.map((e) => e.ruleId)));
    expect(engine.rules.map((r) => r.info.id).filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('built-in rules: look-alikes produce no finding', () => {
  for (const c of lookAlikeCases) {
    it(`${c.name} (${c.path})`, () => {
      expect(seen(c)).toEqual([]);
    });
  }
});

describe('built-in rules: line endings and file positions', () => {
  const crlfCases = credentialCases.filter((c) => c.text.includes('\r\n'));

  it('has CRLF cases (plain and base64-decoded)', () => {
    expect(crlfCases.length).toBeGreaterThanOrEqual(3);
  });

  for (const c of crlfCases) {
    it(`reports the same positions for the LF version of: ${c.name}`, () => {
      expect(seen({ ...c, text: c.text.replace(/\r\n/g, '\n') })).toEqual(c.expected);
    });
  }

  it('places a finding by the fragment start line (git hunks and staged files)', () => {
    const c = credentialCases.find((x) => x.path === 'scripts/env.sh');
    expect(c).toBeDefined();
    if (!c) return;
    const [finding] = engine.detect({ text: c.text, path: c.path, startLine: 41 });
    expect(finding?.start).toEqual({ line: 41, column: 25 });
  });
});

describe('the kind of a Segment-named variable', () => {
  it('is the kind its value has: a write key in SEGMENT_WRITE_KEY is a write-key finding, in JSON too', async () => {
    const found = engine.detect({ text: `SEGMENT_WRITE_KEY=${keys.writeKey}\nSEGMENT_SECRET=${keys.writeKey}Qz7m1Lp9\n`, path: '.env', startLine: 1 });
    expect(found.map((f) => [f.ruleId, f.kind])).toEqual([['segment-credential-variable', 'write-key'], ['segment-credential-variable', undefined]]);
    const { toJsonReport } = await import('../../src/report/json.js');
    const rules = engine.rules.filter((r) => r.info.id === 'segment-credential-variable').map((r) => r.info);
    const report = toJsonReport({ tool: { name: 'segscan', version: 't' }, mode: 'dir', root: '/', findings: found, rules, skipped: [], warnings: [], stats: { filesScanned: 1, bytesScanned: 1, skipped: 0, durationMs: 0 }, incomplete: false }, { redact: true, color: false });
    expect(report.findings.map((f) => f.kind)).toEqual(['write-key', 'generic']);
  });
});
