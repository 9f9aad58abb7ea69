import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { type JsonReport, jsonReporter } from '../../src/report/json.js';
import { ALL_SAMPLES, emptyReport, historyReport, secretsOf, verifiedReport, workingTreeReport } from './sampleReports.js';

const schema: unknown = JSON.parse(readFileSync(new URL('../../src/report/json-report.schema.json', import.meta.url), 'utf8'));
const validate = new Ajv({ allErrors: true, strict: true }).compile(schema as object);
const redacted = { redact: true, color: false };

function parse(text: string): JsonReport {
  return JSON.parse(text) as JsonReport;
}

describe('json reporter', () => {
  it.each([...ALL_SAMPLES, ['empty', emptyReport] as const])('validates against json-report.schema.json (%s)', (_name, make) => {
    for (const redact of [true, false]) {
      const doc: unknown = JSON.parse(jsonReporter(make(), { redact, color: false }));
      const ok = validate(doc);
      expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
      expect(ok).toBe(true);
    }
  });

  it('the schema rejects what the contract forbids (lineText, unknown keys, a missing field)', () => {
    const doc = parse(jsonReporter(workingTreeReport(), redacted));
    const withLineText = structuredClone(doc) as unknown as { findings: Array<Record<string, unknown>> };
    (withLineText.findings[0] as Record<string, unknown>)['lineText'] = 'x';
    expect(validate(withLineText)).toBe(false);
    const { stats: _stats, ...withoutStats } = doc;
    expect(validate(withoutStats)).toBe(false);
  });

  it('writes keys in the documented order, pretty-printed', () => {
    const text = jsonReporter(historyReport(), redacted);
    expect(text.startsWith('{\n  "schemaVersion": 1,\n  "tool": {\n    "name": "segscan",\n    "version": "0.1.0"\n  },')).toBe(true);
    const doc = parse(text);
    expect(Object.keys(doc)).toEqual(['schemaVersion', 'tool', 'mode', 'root', 'repository', 'incomplete', 'findings', 'skipped', 'warnings', 'stats']);
    expect(Object.keys(doc.findings[0] ?? {})).toEqual([
      'ruleId', 'title', 'kind', 'severity', 'securitySeverity', 'confidence', 'signals', 'message',
      'path', 'start', 'end', 'secret', 'secretRedacted', 'secretHash', 'fingerprint', 'commit',
    ]);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('fills every finding field from the finding and its rule', () => {
    const report = workingTreeReport();
    const doc = parse(jsonReporter(report, redacted));
    const source = report.findings.find((f) => f.path === '.env');
    expect(doc.findings[0]).toEqual({
      ruleId: 'segment-public-api-token',
      title: 'Segment Public API token',
      kind: 'public-api-token',
      severity: 'critical',
      securitySeverity: 9.5,
      confidence: 'high',
      signals: ['file-location:.env', 'variable-name:SEGMENT_TOKEN'],
      message: 'Segment Public API token found',
      path: '.env',
      start: { line: 3, column: 15 },
      end: { line: 3, column: 83 },
      secret: redactSecret(source?.secret ?? ''),
      secretRedacted: true,
      secretHash: source?.secretHash,
      fingerprint: source?.fingerprint,
    });
    expect(doc.mode).toBe('dir');
    expect(doc.root).toBe('/home/dev/project');
    expect(doc.incomplete).toBe(false);
    expect(doc.stats).toEqual({ filesScanned: 120, bytesScanned: 1_258_291, skipped: 7, durationMs: 350 });
    expect(doc.skipped[0]).toEqual({ path: 'dist/huge.js', reason: 'too-large', detail: 'larger than --max-file-size 1 MB', size: 5_000_000 });
    expect(doc.warnings).toEqual(['rules/custom.yaml: keyword "seg" is short and will slow the scan']);
  });

  it('sorts findings by path, line, column, rule id, and is byte-identical for any input order', () => {
    const report = workingTreeReport();
    const doc = parse(jsonReporter(report, redacted));
    expect(doc.findings.map((f) => `${f.path}:${f.start.line}:${f.start.column}`)).toEqual([
      '.env:3:15', 'config/app config.json:1:12', 'deploy/ünïcode#1.yaml:4:20', 'src/analytics.js:2:5', 'src/analytics.js:10:16',
    ]);
    const reversed = { ...report, findings: [...report.findings].reverse() };
    expect(jsonReporter(reversed, redacted)).toBe(jsonReporter(report, redacted));
  });

  it('never includes lineText or a raw secret when redacting, and shows raw secrets only with redact=false', () => {
    for (const [, make] of ALL_SAMPLES) {
      const report = make();
      const text = jsonReporter(report, redacted);
      expect(text).not.toContain('lineText');
      for (const secret of secretsOf(report)) expect(text).not.toContain(secret);
      const raw = parse(jsonReporter(report, { redact: false, color: false }));
      expect(raw.findings.every((f) => !f.secretRedacted)).toBe(true);
      expect(raw.findings.map((f) => f.secret).sort()).toEqual(report.findings.map((f) => f.secret).sort());
    }
  });

  it('carries commit, repository (without remote credentials) and verification', () => {
    const history = parse(jsonReporter(historyReport(), redacted));
    expect(history.repository?.remoteUrl).toBe('https://github.com/acme/shop.git');
    expect(history.findings[0]?.commit).toEqual({
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
      authorName: 'Dana Dev',
      authorEmail: 'dana@example.com',
      date: '2024-05-01T12:34:56+02:00',
      subject: 'Add production config',
    });
    expect(history.stats.commitsScanned).toBe(45);
    const verified = parse(jsonReporter(verifiedReport(), redacted));
    const live = verified.findings.find((f) => f.path === 'server/track.ts');
    expect(live?.verification).toEqual({ status: 'live', reason: 'cdn.segment.com returned source settings', details: { region: 'us', source: 'shop-web' } });
  });

  it('reports the incomplete flag, its reason and stale baseline entries', () => {
    const [, make] = ALL_SAMPLES.find(([name]) => name === 'incomplete') ?? ['', emptyReport];
    const doc = parse(jsonReporter(make(), redacted));
    expect(doc.incomplete).toBe(true);
    expect(doc.incompleteReason).toBe('interrupted by SIGINT after 40 of 120 files');
    expect(doc.staleBaseline).toHaveLength(2);
    expect(Object.keys(doc).at(-1)).toBe('staleBaseline');
  });
});
