// GitHub code scanning's limits on the text of a SARIF rule: an upload whose rule has a longer
// fullDescription is rejected, so every rule, built-in or custom, must fit.
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { MAX_FULL_DESCRIPTION, fullDescription, sarifRule } from '../../src/report/sarifRules.js';

describe('SARIF rule text within GitHub limits', () => {
  it.each(loadRules().map((rule) => [rule.info.id, rule] as const))('%s: fullDescription at most 1,024 characters, the whole description in help', (_id, rule) => {
    const sarif = sarifRule(rule.info);
    expect(sarif.fullDescription.text.length).toBeLessThanOrEqual(MAX_FULL_DESCRIPTION);
    expect(sarif.shortDescription.text.length).toBeLessThanOrEqual(MAX_FULL_DESCRIPTION);
    expect(sarif.help.markdown).toContain(rule.info.description.trim());
  });

  it('cuts a long description at a sentence, marks the cut, and leaves a short one alone', () => {
    const sentence = 'This sentence is exactly as long as it needs to be for the test. ';
    const long = sentence.repeat(30);
    const cut = fullDescription(long);
    expect(cut.length).toBeLessThanOrEqual(MAX_FULL_DESCRIPTION);
    expect(cut).toMatch(/be for the test\.…$/);
    expect(fullDescription('Short. ')).toBe('Short.');
    const oneWord = 'x'.repeat(2000);
    expect(fullDescription(oneWord).length).toBe(MAX_FULL_DESCRIPTION);
  });
});
