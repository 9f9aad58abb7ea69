// `segscan rules test`: every rule's match examples must produce a finding of that rule and its
// noMatch examples none. The examples run through the whole engine, so overlaps between rules
// and the global placeholder filter are part of what is tested.
import type { Engine } from '../engine/detect.js';
import type { CompiledRule, RuleExample } from './compiledRule.js';
import { expandTemplate } from './templates.js';

export interface ExampleFailure {
  ruleId: string;
  file: string;
  list: 'match' | 'noMatch';
  index: number;
  /** The example as written (templates unexpanded, so no generated key is printed). */
  example: string;
  problem: string;
}

export interface ExampleRun {
  rules: number;
  examples: number;
  failures: ExampleFailure[];
}

function check(engine: Engine, rule: CompiledRule, list: 'match' | 'noMatch', example: RuleExample, index: number): ExampleFailure | undefined {
  const seed = `${rule.info.id}:${list}:${index}`;
  let text: string;
  try {
    text = expandTemplate(example.text, seed);
  } catch (e) {
    return { ruleId: rule.info.id, file: rule.info.file, list, index, example: example.text, problem: (e as Error).message };
  }
  const path = example.path ?? 'example.txt';
  const hits = engine.detect({ text, path, startLine: 1 }).filter((f) => f.ruleId === rule.info.id);
  if (list === 'match' && hits.length === 0) {
    return { ruleId: rule.info.id, file: rule.info.file, list, index, example: example.text, problem: 'expected a finding, got none' };
  }
  if (list === 'noMatch' && hits.length > 0) {
    return { ruleId: rule.info.id, file: rule.info.file, list, index, example: example.text, problem: `expected no finding, got ${hits.length}` };
  }
  return undefined;
}

/** Run the examples of `rules` (default: all the engine's rules) through `engine`. */
export function runRuleExamples(engine: Engine, rules: readonly CompiledRule[] = engine.rules): ExampleRun {
  const failures: ExampleFailure[] = [];
  let examples = 0;
  for (const rule of rules) {
    for (const list of ['match', 'noMatch'] as const) {
      rule.examples[list].forEach((example, index) => {
        examples++;
        const failure = check(engine, rule, list, example, index);
        if (failure) failures.push(failure);
      });
    }
  }
  return { rules: rules.length, examples, failures };
}
