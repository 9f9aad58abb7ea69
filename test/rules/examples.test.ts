// Every built-in rule ships with match and noMatch examples; this runs them through the whole
// engine (overlaps and the placeholder filter included), one test per example, so a failure names
// the rule and the example as written (templates unexpanded, so no generated key is printed).
import { describe, expect, it } from 'vitest';
import { estimateProgramSize } from '../../src/engine/regex.js';
import { MAX_PROGRAM_SIZE } from '../../src/rules/compile.js';
import { runRuleExamples } from '../../src/rules/exampleRunner.js';
import { builtinEngine } from '../helpers/engine.js';

const engine = builtinEngine();

describe('built-in rule examples', () => {
  for (const rule of engine.rules) {
    describe(rule.info.id, () => {
      it('has at least three match and three noMatch examples', () => {
        expect(rule.examples.match.length).toBeGreaterThanOrEqual(3);
        expect(rule.examples.noMatch.length).toBeGreaterThanOrEqual(3);
      });

      it('passes all of its examples', () => {
        const run = runRuleExamples(engine, [rule]);
        expect(run.examples).toBe(rule.examples.match.length + rule.examples.noMatch.length);
        expect(run.failures.map((f) => `${f.list}[${f.index}] ${f.problem}: ${f.example}`)).toEqual([]);
      });
    });
  }
});

describe('built-in rule patterns', () => {
  it('each compiles well under the program size a rule directory may bring (so their speed is not at the edge)', () => {
    for (const rule of builtinEngine().rules) {
      expect(estimateProgramSize(rule.pattern.source), rule.info.id).toBeLessThanOrEqual(MAX_PROGRAM_SIZE * 0.6);
    }
  });
});
