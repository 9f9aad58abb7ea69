import { describe, expect, it } from 'vitest';
import { redactSecret } from '../../src/engine/redact.js';
import { remediationHint, sentence } from '../../src/report/prose.js';
import { textReporter } from '../../src/report/text.js';
import { emptyReport, historyReport, incompleteReport, secretsOf, verifiedReport, workingTreeReport } from './sampleReports.js';

const plain = { redact: true, color: false };
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

function blockFor(output: string, location: string): string {
  const block = output.split('\n\n').find((b) => b.startsWith(location));
  if (!block) throw new Error(`no block for ${location} in:\n${output}`);
  return block;
}

describe('text reporter', () => {
  it('prints one block per finding with location, rule, severity, confidence, redacted secret, message and hint', () => {
    const report = workingTreeReport();
    const out = textReporter(report, plain);
    const token = report.findings.find((f) => f.path === '.env');
    const block = blockFor(out, '.env:3:15');
    expect(block.split('\n')[0]).toBe('.env:3:15  CRITICAL  segment-public-api-token: Segment Public API token');
    expect(block).toContain('confidence  high (file-location:.env, variable-name:SEGMENT_TOKEN)');
    expect(block).toContain(`secret      ${redactSecret(token?.secret ?? '')}`);
    expect(block).toContain('message     Segment Public API token found');
    expect(block).toContain('hint        Revoke the token in Segment (Settings > Workspace settings > Access Management > Tokens).');
    expect(block).not.toContain('Rotate with least privilege');
  });

  it('lists findings sorted by path, line, column whatever order the scan produced', () => {
    const out = textReporter(workingTreeReport(), plain);
    const headers = out.split('\n').filter((l) => /^\S+.*:\d+:\d+  [A-Z]+  /.test(l)).map((l) => l.split('  ')[0]);
    expect(headers).toEqual(['.env:3:15', 'config/app config.json:1:12', 'deploy/ünïcode#1.yaml:4:20', 'src/analytics.js:2:5', 'src/analytics.js:10:16']);
  });

  it('never prints a raw secret, including one echoed in a commit subject', () => {
    for (const report of [workingTreeReport(), historyReport(), verifiedReport(), incompleteReport()]) {
      const out = textReporter(report, plain);
      for (const secret of secretsOf(report)) expect(out).not.toContain(secret);
    }
  });

  it('prints raw secrets when redaction is off', () => {
    const report = workingTreeReport();
    const out = textReporter(report, { redact: false, color: false });
    for (const secret of secretsOf(report)) expect(out).toContain(`secret      ${secret}`);
  });

  it('shows short sha, author, date and subject for history findings', () => {
    const report = historyReport();
    const out = textReporter(report, plain);
    const c1 = report.findings[0]?.commit;
    expect(out).toContain(`commit      ${c1?.sha.slice(0, 7)} by Dana Dev on 2024-05-01: Add production config`);
    const writeKey = report.findings[1]?.secret ?? '';
    expect(out).toContain(`: set write key ${redactSecret(writeKey)}`);
    expect(out).toContain('3 findings (1 critical, 2 medium) in 300 files (3.8 MB) from 45 commits in 2.50 s; 1 skipped');
    expect(out).toContain('assets/video.mp4 in commit ');
  });

  it('marks verification results: LIVE, INVALID and UNKNOWN with reasons and details', () => {
    const out = textReporter(verifiedReport(), plain);
    const live = blockFor(out, 'server/track.ts:12:34');
    expect(live.split('\n')[0]).toMatch(/  LIVE$/);
    expect(live).toContain('verified    LIVE: cdn.segment.com returned source settings (region=us, source=shop-web)');
    expect(blockFor(out, 'terraform/main.tf:5:11')).toContain('verified    INVALID: api.segmentapis.com and eu1 answered 401');
    expect(blockFor(out, 'server/env.ts:9:8')).toContain('verified    UNKNOWN: timed out after 5 s');
    expect(blockFor(out, 'server/env.ts:9:8').split('\n')[0]).toMatch(/  UNKNOWN$/);
  });

  it('lists actionable skips by path and counts the rest, then warnings and the summary', () => {
    const out = textReporter(workingTreeReport(), plain);
    expect(out).toContain('Warnings:\n  - rules/custom.yaml: keyword "seg" is short and will slow the scan');
    expect(out).toContain('  - dist/huge.js: too-large (larger than --max-file-size 1 MB)');
    expect(out).toContain('  - secrets/locked.env: unreadable (EACCES: permission denied)');
    expect(out).toContain('  - dev/fifo: not-regular-file');
    expect(out).toContain('  2 files binary, 1 file submodule, 1 file symlink');
    expect(out).not.toContain('img/logo.png');
    const lines = out.trimEnd().split('\n');
    expect(lines.at(-1)).toBe('5 findings (1 critical, 1 high, 2 medium, 1 low) in 120 files (1.2 MB) in 0.35 s; 7 skipped');
  });

  it('says clearly when the scan is incomplete and lists stale baseline entries', () => {
    const out = textReporter(incompleteReport(), plain);
    expect(out).toContain('SCAN INCOMPLETE: interrupted by SIGINT after 40 of 120 files. Not everything was scanned; findings may be missing.');
    expect(out.trimEnd().split('\n').at(-1)).toMatch(/\(scan incomplete\)$/);
    expect(out).toMatch(/Stale baseline entries.*\n  - 0123456789abcdef0123456789abcdef\n  - fedcba9876543210fedcba9876543210/);
  });

  it('is one short line when nothing was found', () => {
    expect(textReporter(emptyReport(), plain)).toBe('No Segment credentials found in 120 files (1.2 MB) in 0.35 s\n');
  });

  it('uses ANSI colour only when asked', () => {
    const report = verifiedReport();
    expect(textReporter(report, plain)).not.toMatch(ANSI);
    const coloured = textReporter(report, { redact: true, color: true });
    expect(coloured).toMatch(ANSI);
    expect(coloured).toContain('\u001b[1;97;41m LIVE \u001b[0m');
    expect(coloured.replace(/\u001b\[[0-9;]*m/g, '')).toContain('server/track.ts:12:34');
  });

  it('caps long skip lists and points to the JSON output', () => {
    const report = workingTreeReport();
    report.skipped = Array.from({ length: 150 }, (_, i) => ({ path: `big/${i}.bin`, reason: 'too-large' as const }));
    const out = textReporter(report, plain);
    expect(out).toContain('  - big/99.bin: too-large');
    expect(out).not.toContain('big/100.bin');
    expect(out).toContain('  … and 50 more (see --format json)');
  });
});

describe('remediationHint', () => {
  it('takes the first step of a list, or else the first sentence, without list markers', () => {
    expect(remediationHint('1. Revoke it now. Then rotate.\n2. Audit.')).toBe('Revoke it now.');
    expect(remediationHint('\n- Move the value to a vault.\n- Rotate.')).toBe('Move the value to a vault.');
    expect(remediationHint('Revoke the key in Segment (Settings > API Keys)')).toBe('Revoke the key in Segment (Settings > API Keys)');
    expect(remediationHint('')).toBe('');
  });

  it('joins wrapped Markdown lines and keeps a bold lead with its explanation', () => {
    const markdown = [
      'A Public API token can manage the whole workspace it belongs to. Treat the leak as an incident:',
      'removing the line does not make the token safe; revoking it does.',
      '',
      '1. **Revoke the token.** In Segment, go to *Settings > Workspace settings > Access Management >',
      '   Tokens*, select the token and remove it. (Segment revokes tokens that GitHub reports.)',
      '2. **Audit the exposure window.** Review the workspace *Audit Trail*.',
    ].join('\n');
    expect(remediationHint(markdown)).toBe(
      'Revoke the token. In Segment, go to Settings > Workspace settings > Access Management > Tokens, select the token and remove it.',
    );
    const prose = 'Browser write keys are visible to anyone who loads the page, so exposure in front-end code is\nexpected. Check the source.';
    expect(remediationHint(prose)).toBe('Browser write keys are visible to anyone who loads the page, so exposure in front-end code is expected.');
  });

  it('cuts very long hints', () => {
    const hint = remediationHint(`${'word '.repeat(100)}end.`);
    expect(hint.length).toBe(200);
    expect(hint.endsWith('…')).toBe(true);
  });
});

describe('sentence', () => {
  it('ends text with exactly one terminator', () => {
    expect(sentence('Found')).toBe('Found.');
    expect(sentence('Found.')).toBe('Found.');
    expect(sentence('Found: ')).toBe('Found.');
    expect(sentence('Really?')).toBe('Really?');
  });
});
