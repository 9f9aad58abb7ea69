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
  /** `file`: the pattern may match anywhere in a file holding a keyword (the file's context). */
  wholeFile: boolean;
  pattern: Pattern;
  secretGroup: number | string;
  minEntropy: number | undefined;
  requireCharClasses: CharClass[];
  /** Reject secrets that read like identifiers made of words (entropy.ts looksLikeIdentifier). */
  requireRandom: boolean;
  stopwords: string[];
  allowRegexes: Pattern[];
  /** Lower-case words that, just before a secret (and without a keyword there), mark it as another vendor's. */
  precededBy: { words: string[]; within: number } | undefined;
  appliesToPath: (path: string) => boolean;
  overrides: ReadonlySet<string>;
  examples: { match: RuleExample[]; noMatch: RuleExample[] };
}
