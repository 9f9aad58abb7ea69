import { gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { GITHUB_SARIF_LIMITS, buildSarifLog, sarifReporter, serialiseSarif } from '../../src/report/sarif.js';
import type { SarifLog, SarifResult, SarifRun } from '../../src/report/sarifLog.js';
import { pascalCase } from '../../src/report/sarifRules.js';
import type { Finding, ScanReport } from '../../src/types.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import {
  ALL_SAMPLES,
  RULES,
  baseReport,
  emptyReport,
  finding,
  historyReport,
  incompleteReport,
  secretsOf,
  verifiedReport,
  workingTreeReport,
} from './sampleReports.js';

const redacted = { redact: true, color: false };

function runOf(report: ScanReport, options = redacted): SarifRun {
  const log = JSON.parse(sarifReporter(report, options)) as SarifLog;
  return log.runs[0];
}

function resultAt(run: SarifRun, uri: string, line: number): SarifResult {
  const r = run.results.find(
    (x) => x.locations[0].physicalLocation.artifactLocation.uri === uri && x.locations[0].physicalLocation.region?.startLine === line,
  );
  if (!r) throw new Error(`no result at ${uri}:${line}`);
  return r;
}

describe('sarif reporter: log and driver', () => {
  it('declares SARIF 2.1.0 with one run and a complete driver', () => {
    const log = JSON.parse(sarifReporter(workingTreeReport(), redacted)) as SarifLog;
    expect(log.$schema).toMatch(/sarif-schema-2\.1\.0\.json$/);
    expect(log.version).toBe('2.1.0');
    expect(log.runs).toHaveLength(1);
    const { driver } = log.runs[0].tool;
    expect(driver.name).toBe('segscan');
    expect(driver.version).toBe('0.1.0');
    expect(driver.semanticVersion).toBe('0.1.0');
    expect(driver.informationUri).toBe('https://github.com/segscan/segscan');
  });

  it('lists only the rules that fired, once each, with every property code scanning reads', () => {
    const report = historyReport();
    report.rules = [RULES.generic, RULES.publicApiToken, RULES.writeKey, RULES.sgKey, RULES.writeKey];
    const run = runOf(report);
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(['segment-public-api-token', 'segment-write-key']);
    const rule = run.tool.driver.rules[0];
    expect(rule).toEqual({
      id: 'segment-public-api-token',
      name: 'SegmentPublicApiToken',
      shortDescription: { text: 'Segment Public API token' },
      fullDescription: { text: RULES.publicApiToken.description },
      helpUri: 'https://segment.com/docs/api/public-api/',
      help: { text: expect.stringContaining(RULES.publicApiToken.remediation), markdown: expect.stringContaining('**Remediation**') },
      defaultConfiguration: { level: 'error' },
      properties: {
        tags: ['security', 'secret', 'external/cwe/cwe-798', 'segment', 'api-token'],
        precision: 'high',
        'security-severity': '9.5',
        kind: 'public-api-token',
      },
    });
    expect(rule?.help.markdown).toContain(RULES.publicApiToken.remediation);
    expect(rule?.help.markdown).toContain('- <https://docs.github.com/code-security/secret-scanning>');
    const writeKey = run.tool.driver.rules[1];
    expect(writeKey?.defaultConfiguration.level).toBe('warning');
    expect(writeKey?.properties['security-severity']).toBe('5.5');
    expect(writeKey?.properties.precision).toBe('medium');
  });

  it('omits helpUri for rules without references and formats integer severities as "8.0"', () => {
    const run = runOf(workingTreeReport());
    const sg = run.tool.driver.rules.find((r) => r.id === 'segment-sg-key');
    expect(sg).toBeDefined();
    expect(sg && 'helpUri' in sg).toBe(false);
    expect(sg?.properties['security-severity']).toBe('8.0');
    expect(run.tool.driver.rules.find((r) => r.id === 'segment-generic-variable')?.defaultConfiguration.level).toBe('note');
  });

  it('PascalCases rule ids', () => {
    expect(pascalCase('segment-public-api-token')).toBe('SegmentPublicApiToken');
    expect(pascalCase('sg_key.v2')).toBe('SgKeyV2');
  });
});

describe('sarif reporter: results', () => {
  it('writes one fully located result per finding, in stable order, pointing at its rule', () => {
    const report = workingTreeReport();
    const run = runOf(report);
    expect(run.results.map((r) => `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region?.startLine}`)).toEqual([
      '.env:3', 'config/app%20config.json:1', 'deploy/%C3%BCn%C3%AFcode%231.yaml:4', 'src/analytics.js:2', 'src/analytics.js:10',
    ]);
    for (const r of run.results) {
      expect(r.locations).toHaveLength(1);
      expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
      expect(r.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    }
    const token = resultAt(run, '.env', 3);
    const source = report.findings.find((f) => f.path === '.env') as Finding;
    expect(token.locations[0].physicalLocation.region).toEqual({ startLine: 3, startColumn: 15, endLine: 3, endColumn: 83 });
    expect(token.message.text).toBe(`Segment Public API token found. Secret: ${redactSecret(source.secret)}.`);
    expect(token.properties).toEqual({ confidence: 'high', signals: ['file-location:.env', 'variable-name:SEGMENT_TOKEN'], secretHash: source.secretHash });
    expect(token.partialFingerprints['segscan/v1']).toBe(source.fingerprint);
    const reversed = { ...report, findings: [...report.findings].reverse() };
    expect(sarifReporter(reversed, redacted)).toBe(sarifReporter(report, redacted));
  });

  it('maps levels: critical/high error, medium warning, low note, anything verified live error', () => {
    const wt = runOf(workingTreeReport());
    expect(resultAt(wt, '.env', 3).level).toBe('error');
    expect(resultAt(wt, 'config/app%20config.json', 1).level).toBe('error');
    expect(resultAt(wt, 'src/analytics.js', 2).level).toBe('warning');
    expect(resultAt(wt, 'deploy/%C3%BCn%C3%AFcode%231.yaml', 4).level).toBe('note');
    const v = runOf(verifiedReport());
    expect(resultAt(v, 'server/track.ts', 12).level).toBe('error'); // medium, live
    expect(resultAt(v, 'server/env.ts', 3).level).toBe('error'); // low, live
    expect(resultAt(v, 'server/env.ts', 9).level).toBe('error'); // high, unknown
    expect(resultAt(v, 'terraform/main.tf', 5).level).toBe('error'); // critical, invalid
  });

  it('leaves primaryLocationLineHash to the upload: codeql-action computes it and warns when one already there differs', () => {
    for (const [, sample] of ALL_SAMPLES) {
      for (const r of runOf(sample()).results) expect(Object.keys(r.partialFingerprints).sort()).toEqual(['segscan/location/v1', 'segscan/v1']);
    }
  });

  it('gives segscan/location/v1 as <16 hex>:<occurrence>, distinct for two hits of one secret in a file', () => {
    const run = runOf(workingTreeReport());
    const hashes = run.results.map((r) => r.partialFingerprints['segscan/location/v1']);
    for (const h of hashes) expect(h).toMatch(/^[0-9a-f]{16}:\d+$/);
    const first = resultAt(run, 'src/analytics.js', 2).partialFingerprints['segscan/location/v1'];
    const second = resultAt(run, 'src/analytics.js', 10).partialFingerprints['segscan/location/v1'];
    expect(first.split(':')[0]).toBe(second.split(':')[0]);
    expect([first.split(':')[1], second.split(':')[1]]).toEqual(['1', '2']);
    expect(new Set(hashes).size).toBe(hashes.length);
  });

  it('keeps a finding\'s line hash when lines above it move', () => {
    const report = workingTreeReport();
    const before = resultAt(runOf(report), '.env', 3).partialFingerprints['segscan/location/v1'];
    const moved = structuredClone(report);
    const f = moved.findings.find((x) => x.path === '.env') as Finding;
    f.start.line = 40;
    f.end.line = 40;
    expect(resultAt(runOf(moved), '.env', 40).partialFingerprints['segscan/location/v1']).toBe(before);
  });

  it('adds commit details to history results', () => {
    const report = historyReport();
    const run = runOf(report);
    const r = resultAt(run, 'config/prod.env', 7);
    const c = report.findings[0]?.commit;
    expect(r.properties['commit']).toEqual({ sha: c?.sha, author: 'Dana Dev', date: '2024-05-01T12:34:56+02:00', subject: 'Add production config' });
    expect(r.message.text).toContain(`Introduced in commit ${c?.sha.slice(0, 7)} on 2024-05-01.`);
    // The same secret at the same place in two commits: two results, told apart by occurrence.
    const twins = run.results.filter((x) => x.locations[0].physicalLocation.artifactLocation.uri === 'web/index.html');
    expect(twins.map((x) => x.partialFingerprints['segscan/location/v1'].split(':')[1])).toEqual(['1', '2']);
  });

  it('adds verification status, reason and details', () => {
    const run = runOf(verifiedReport());
    const live = resultAt(run, 'server/track.ts', 12);
    expect(live.properties['verification']).toEqual({
      status: 'live',
      reason: 'cdn.segment.com returned source settings',
      details: { region: 'us', source: 'shop-web' },
    });
    expect(live.message.text).toMatch(/Verification: LIVE, cdn\.segment\.com returned source settings\.$/);
    expect(resultAt(run, 'server/env.ts', 9).properties['verification']).toEqual({ status: 'unknown', reason: 'timed out after 5 s' });
  });
});

describe('sarif reporter: run context', () => {
  it('sets %SRCROOT%, automation id per mode, column kind and a successful invocation', () => {
    const run = runOf(workingTreeReport());
    expect(run.originalUriBaseIds).toEqual({ '%SRCROOT%': { uri: 'file:///home/dev/project/' } });
    expect(run.automationDetails).toEqual({ id: 'segscan/dir/' });
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.invocations[0].executionSuccessful).toBe(true);
    expect(run.versionControlProvenance).toBeUndefined();
    for (const mode of ['git', 'staged', 'stdin'] as const) {
      expect(runOf({ ...emptyReport(), mode }).automationDetails.id).toBe(`segscan/${mode}/`);
    }
  });

  it('names skipped files and warnings in tool execution notifications', () => {
    const notes = runOf(workingTreeReport()).invocations[0].toolExecutionNotifications;
    const texts = notes.map((n) => `${n.level} ${n.descriptor.id} ${n.message.text}`);
    expect(texts).toContain('warning segscan/warning rules/custom.yaml: keyword "seg" is short and will slow the scan.');
    expect(texts).toContain('warning segscan/skipped/too-large Not scanned: dist/huge.js: too-large (larger than --max-file-size 1 MB).');
    expect(texts).toContain('warning segscan/skipped/unreadable Not scanned: secrets/locked.env: unreadable (EACCES: permission denied).');
    expect(texts).toContain('note segscan/skipped/binary 2 files not scanned: binary.');
    const huge = notes.find((n) => n.descriptor.id === 'segscan/skipped/too-large');
    expect(huge?.locations?.[0]?.physicalLocation.artifactLocation).toEqual({ uri: 'dist/huge.js', uriBaseId: '%SRCROOT%' });
  });

  it('marks an incomplete scan as unsuccessful, with the reason as an error notification', () => {
    const run = runOf(incompleteReport());
    expect(run.invocations[0].executionSuccessful).toBe(false);
    const first = run.invocations[0].toolExecutionNotifications[0];
    expect(first).toEqual({
      level: 'error',
      message: { text: 'Scan incomplete: interrupted by SIGINT after 40 of 120 files. Some content was not scanned.' },
      descriptor: { id: 'segscan/incomplete' },
    });
  });

  it('records version control provenance without credentials from the remote URL', () => {
    const report = historyReport();
    const run = runOf(report);
    expect(run.versionControlProvenance).toEqual([
      { repositoryUri: 'https://github.com/acme/shop.git', revisionId: report.repository?.head, branch: 'main', mappedTo: { uriBaseId: '%SRCROOT%' } },
    ]);
    expect(JSON.stringify(run)).not.toContain('hunter2token');
    const scp = { ...report, repository: { root: '/home/dev/repo', remoteUrl: 'git@github.com:acme/shop.git' } };
    expect(runOf(scp).versionControlProvenance?.[0]?.repositoryUri).toBe('ssh://git@github.com/acme/shop.git');
    const local = { ...report, root: '/home/dev/repo/sub', repository: { root: '/home/dev/repo' } };
    expect(runOf(local).versionControlProvenance).toEqual([{ repositoryUri: 'file:///home/dev/repo/' }]);
  });
});

describe('sarif reporter: secrets', () => {
  it('never contains a raw secret when redacting, anywhere in the file', () => {
    for (const [, make] of ALL_SAMPLES) {
      const report = make();
      const text = sarifReporter(report, redacted);
      for (const secret of secretsOf(report)) expect(text).not.toContain(secret);
    }
  });

  it('shows raw secrets in messages only with redact=false', () => {
    const report = workingTreeReport();
    const text = sarifReporter(report, { redact: false, color: false });
    for (const secret of secretsOf(report)) expect(text).toContain(secret);
  });
});

function manyFindings(count: number): ScanReport {
  const rules = [RULES.publicApiToken, RULES.writeKey, RULES.sgKey, RULES.generic];
  const findings: Finding[] = [];
  for (let i = 0; i < count; i++) {
    const keys = fakeCredentials(`bulk-${i}`);
    const rule = rules[i % 4] ?? RULES.writeKey;
    const secret = [keys.publicApiToken, keys.writeKey, keys.sgKey, keys.writeKey][i % 4] ?? keys.writeKey;
    findings.push(finding({ rule, secret, path: `pkg/${i % 97}/config-${i}.env`, line: (i % 500) + 1, column: 7, signals: ['file-location:.env'] }));
  }
  return baseReport(findings, rules);
}

describe('sarif reporter: GitHub upload limits', () => {
  it('keeps at most 5,000 results, the most severe first, and says how many were dropped', () => {
    const report = manyFindings(6000);
    // A live low-severity key must outrank unverified lows when the cut falls among them.
    const lows = report.findings.filter((f) => f.ruleId === RULES.generic.id);
    const liveLow = lows[lows.length - 1] as Finding;
    liveLow.verification = { status: 'live', reason: 'answered 200' };
    const run = runOf(report);
    expect(run.results).toHaveLength(5000);
    const bySeverity = (id: string) => run.results.filter((r) => r.ruleId === id).length;
    expect(bySeverity(RULES.publicApiToken.id)).toBe(1500);
    expect(bySeverity(RULES.writeKey.id)).toBe(1500);
    expect(bySeverity(RULES.sgKey.id)).toBe(1500);
    expect(bySeverity(RULES.generic.id)).toBe(500);
    expect(run.results.some((r) => r.partialFingerprints['segscan/v1'] === liveLow.fingerprint)).toBe(true);
    const notice = run.invocations[0].toolExecutionNotifications.find((n) => n.descriptor.id === 'segscan/results-truncated');
    expect(notice?.level).toBe('warning');
    expect(notice?.message.text).toContain('1000 of 6000 findings were left out');
    expect(notice?.message.text).toContain('5000 results per run');
    // Still in the stable order, and rule indexes still match.
    const keys = run.results.map((r) => r.locations[0].physicalLocation.artifactLocation.uri);
    const sortedKeys = [...keys].sort();
    expect(keys.filter((k, i) => k !== sortedKeys[i]).length).toBe(0);
    for (const r of run.results) expect(run.tool.driver.rules[r.ruleIndex]?.id).toBe(r.ruleId);
  });

  it('prefers higher confidence among equal severities', () => {
    const report = manyFindings(5004);
    // The four lows beyond the cap: give the last one high confidence so it displaces an earlier low.
    const lows = report.findings.filter((f) => f.ruleId === RULES.generic.id);
    const confident = lows[lows.length - 1] as Finding;
    confident.confidence = 'high';
    const run = runOf(report);
    expect(run.results).toHaveLength(5000);
    expect(run.results.some((r) => r.partialFingerprints['segscan/v1'] === confident.fingerprint)).toBe(true);
  });

  it('adds no truncation notice at exactly 5,000', () => {
    const run = runOf(manyFindings(5000));
    expect(run.results).toHaveLength(5000);
    expect(run.invocations[0].toolExecutionNotifications.some((n) => n.descriptor.id === 'segscan/results-truncated')).toBe(false);
  });

  it('stays under 10 MB gzipped at the result cap, with long paths and many notifications', () => {
    const report = manyFindings(5000);
    for (const f of report.findings) f.path = `${'deeply/nested/directory/'.repeat(40)}${f.path}`;
    report.warnings = Array.from({ length: 5000 }, (_, i) => `warning ${i}: ${'x'.repeat(200)}`);
    report.skipped = Array.from({ length: 20000 }, (_, i) => ({ path: `big/${i}.bin`, reason: 'too-large' as const, size: 9e6 }));
    const text = sarifReporter(report, redacted);
    const gz = gzipSync(text);
    expect(gz.length).toBeLessThan(GITHUB_SARIF_LIMITS.maxGzipBytes);
    expect(gunzipSync(gz).toString('utf8')).toBe(text);
    const run = (JSON.parse(text) as SarifLog).runs[0];
    expect(run.results).toHaveLength(5000);
    expect(run.invocations[0].toolExecutionNotifications.length).toBeLessThan(250);
  });

  it('drops further results, and says so, when the file would exceed the gzip limit', () => {
    const report = manyFindings(400);
    const limits = { maxResults: 5000, maxGzipBytes: 16 * 1024 };
    const full = sarifReporter(report, redacted);
    expect(gzipSync(full).length).toBeGreaterThan(limits.maxGzipBytes);
    const text = serialiseSarif(report, redacted, limits);
    expect(gzipSync(text).length).toBeLessThanOrEqual(limits.maxGzipBytes);
    const run = (JSON.parse(text) as SarifLog).runs[0];
    expect(run.results.length).toBeGreaterThan(0);
    expect(run.results.length).toBeLessThan(400);
    const notice = run.invocations[0].toolExecutionNotifications.find((n) => n.descriptor.id === 'segscan/results-truncated');
    expect(notice?.message.text).toContain(`${400 - run.results.length} of 400 findings were left out`);
    expect(notice?.message.text).toContain('per gzipped upload');
  });

  it('buildSarifLog honours an explicit result limit', () => {
    const log = buildSarifLog(workingTreeReport(), redacted, GITHUB_SARIF_LIMITS, 2);
    expect(log.runs[0].results.map((r) => r.ruleId)).toEqual(['segment-public-api-token', 'segment-sg-key']);
    expect(log.runs[0].tool.driver.rules.map((r) => r.id)).toEqual(['segment-public-api-token', 'segment-sg-key']);
  });
});
