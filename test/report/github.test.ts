import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { escapeData, escapeProperty, githubReporter } from '../../src/report/github.js';
import type { Finding } from '../../src/types.js';
import { RULES, baseReport, emptyReport, finding, historyReport, incompleteReport, secretsOf, verifiedReport, workingTreeReport } from './sampleReports.js';

const redacted = { redact: true, color: false };

describe('github reporter', () => {
  it('writes one workflow command per finding, sorted, with location, end and title', () => {
    const report = workingTreeReport();
    const lines = githubReporter(report, redacted).trimEnd().split('\n');
    expect(lines).toHaveLength(6);
    const token = report.findings.find((f) => f.path === '.env') as Finding;
    expect(lines[0]).toBe(
      `::error file=.env,line=3,col=15,endLine=3,endColumn=83,title=Segment Public API token::Segment Public API token found. Secret: ${redactSecret(token.secret)}. Rule segment-public-api-token, critical, confidence high.`,
    );
    expect(lines.slice(0, 5).map((l) => /file=([^,]*),line=(\d+)/.exec(l)?.slice(1).join(':'))).toEqual([
      '.env:3', 'config/app config.json:1', 'deploy/ünïcode#1.yaml:4', 'src/analytics.js:2', 'src/analytics.js:10',
    ]);
    expect(lines[5]).toBe('5 findings (1 critical, 1 high, 2 medium, 1 low) in 120 files (1.2 MB) in 0.35 s; 7 skipped');
  });

  it('uses error for critical/high and live, warning for medium, notice for low', () => {
    const wt = githubReporter(workingTreeReport(), redacted).split('\n');
    expect(wt.find((l) => l.includes('file=config/app config.json'))).toMatch(/^::error /);
    expect(wt.find((l) => l.includes('file=src/analytics.js'))).toMatch(/^::warning /);
    expect(wt.find((l) => l.includes('file=deploy/'))).toMatch(/^::notice /);
    const v = githubReporter(verifiedReport(), redacted).split('\n');
    const live = v.find((l) => l.includes('file=server/track.ts')) ?? '';
    expect(live).toMatch(/^::error /);
    expect(live).toMatch(/ Verification: LIVE, cdn\.segment\.com returned source settings\.$/);
    expect(v.find((l) => l.includes('file=server/env.ts,line=3'))).toMatch(/^::error /);
  });

  it('escapes data and property values the way GitHub parses them', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeProperty('C:\\a,b%\n')).toBe('C%3A\\a%2Cb%25%0A');
    const rule = { ...RULES.writeKey, title: 'Key: one, two', message: 'Found 100%\nhere' };
    const keys = workingTreeReport().findings[0] as Finding;
    const report = baseReport([finding({ rule, secret: keys.secret, path: 'dir,with:odd%chars/x.js', line: 1, column: 1 })], [rule]);
    const line = githubReporter(report, redacted).split('\n')[0] ?? '';
    expect(line).toContain('file=dir%2Cwith%3Aodd%25chars/x.js,');
    expect(line).toContain(',title=Key%3A one%2C two::');
    expect(line).toContain('::Found 100%25%0Ahere. Secret: ');
  });

  it('names the commit of history findings and never leaks a secret from a commit subject', () => {
    const report = historyReport();
    const out = githubReporter(report, redacted);
    expect(out).toContain(`Introduced in commit ${report.findings[0]?.commit?.sha.slice(0, 7)}.`);
    for (const secret of secretsOf(report)) expect(out).not.toContain(secret);
  });

  it('warns when the scan was incomplete and ends with a plain summary', () => {
    const lines = githubReporter(incompleteReport(), redacted).trimEnd().split('\n');
    expect(lines.at(-2)).toBe('::warning title=segscan scan incomplete::Scan incomplete: interrupted by SIGINT after 40 of 120 files. Findings may be missing.');
    expect(lines.at(-1)).toMatch(/^5 findings .*\(scan incomplete\)$/);
    expect(githubReporter(emptyReport(), redacted)).toBe('No Segment credentials found in 120 files (1.2 MB) in 0.35 s\n');
  });

  it('shows raw secrets only with redact=false', () => {
    const report = verifiedReport();
    expect(githubReporter(report, { redact: false, color: false })).toContain(report.findings[0]?.secret ?? '<none>');
  });
});
