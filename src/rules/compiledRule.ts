import type { CharClass } from '../engine/entropy.js';
import type { Pattern } from '../engine/regex.js';
import type { RuleInfo } from '../types.js';

export interface RuleExample {
  text: string;
  path?: string;
}

/** A validated rule, ready for the engine. Built by compileRules; never mutated. */
export interface CompiledRule {
  info: RuleInfo;
  /** Lower-cased keywords for the prefilter. */
  keywords: string[];
  pattern: Pattern;
  secretGroup: number | string;
  minEntropy: number | undefined;
  requireCharClasses: CharClass[];
  stopwords: string[];
  allowRegexes: Pattern[];
  appliesToPath: (path: string) => boolean;
  overrides: ReadonlySet<string>;
  examples: { match: RuleExample[]; noMatch: RuleExample[] };
}
