import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { redactSecret } from '../../src/engine/redact.js';
import { REPORT_FORMATS, getReporter, isReportFormat } from '../../src/report/index.js';
import { secretScrubber } from '../../src/report/secretDisplay.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { ALL_SAMPLES, RULES, baseReport, emptyReport, finding, secretsOf } from './sampleReports.js';

describe('report registry', () => {
  it('offers text, json, sarif and github', () => {
    expect(REPORT_FORMATS).toEqual(['text', 'json', 'sarif', 'github']);
    for (const format of REPORT_FORMATS) expect(typeof getReporter(format)(emptyReport(), { redact: true, color: false })).toBe('string');
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('csv')).toBe(false);
  });

  it('rejects an unknown format with a usage error naming the valid ones', () => {
    expect(() => getReporter('csv')).toThrow(UsageError);
    expect(() => getReporter('csv')).toThrow('Use one of: text, json, sarif, github.');
  });

  it.each(REPORT_FORMATS)('%s: no raw secret anywhere when redacting; each secret present with redact=false', (format) => {
    const reporter = getReporter(format);
    for (const [, make] of ALL_SAMPLES) {
      const report = make();
      const out = reporter(report, { redact: true, color: format === 'text' });
      for (const secret of secretsOf(report)) {
        expect(out).not.toContain(secret);
        expect(out).toContain(redactSecret(secret));
      }
      const raw = reporter(report, { redact: false, color: false });
      for (const secret of secretsOf(report)) expect(raw).toContain(secret);
    }
  });

  it('scrubs secrets echoed in warnings, skip details, verification reasons and incomplete reasons', () => {
    const keys = fakeCredentials('echo');
    const report = baseReport(
      [finding({ rule: RULES.publicApiToken, secret: keys.publicApiToken, path: 'a.env', line: 1, column: 1, verification: { status: 'unknown', reason: `server echoed ${keys.publicApiToken}`, details: { token: keys.publicApiToken } } })],
      [RULES.publicApiToken],
    );
    report.warnings = [`could not decode ${keys.publicApiToken}`];
    report.skipped = [{ path: 'b.bin', reason: 'unreadable', detail: `bad ${keys.publicApiToken}` }];
    report.incomplete = true;
    report.incompleteReason = `verifier failed on ${keys.publicApiToken}`;
    for (const format of REPORT_FORMATS) {
      expect(getReporter(format)(report, { redact: true, color: false })).not.toContain(keys.publicApiToken);
    }
  });
});

describe('secretScrubber', () => {
  it('replaces every occurrence, prefers the longer of overlapping secrets, and ignores very short ones', () => {
    const keys = fakeCredentials('scrub');
    const long = keys.publicApiToken;
    const inner = long.slice(4, 40);
    const report = baseReport(
      [
        finding({ rule: RULES.publicApiToken, secret: long, path: 'x', line: 1, column: 1 }),
        finding({ rule: RULES.generic, secret: inner, path: 'y', line: 1, column: 1 }),
        finding({ rule: RULES.generic, secret: 'abc', path: 'z', line: 1, column: 1 }),
      ],
      [RULES.publicApiToken, RULES.generic],
    );
    const scrub = secretScrubber(report, { redact: true, color: false });
    expect(scrub(`a ${long} b ${long}`)).toBe(`a ${redactSecret(long)} b ${redactSecret(long)}`);
    expect(scrub(`x${inner}y`)).toBe(`x${redactSecret(inner)}y`);
    expect(scrub('abc stays')).toBe('abc stays');
    expect(secretScrubber(report, { redact: false, color: false })(long)).toBe(long);
  });
});
