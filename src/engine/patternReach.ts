// How many characters an RE2 pattern can match at most, when that is bounded. Where a rule's secret
// is a run of letters and digits (tokenRuns.ts finds those fast), every match lies within this many
// characters of such a run, so the rule's pattern need only run there, not over the whole text.
import { foldPattern } from './patternSyntax.js';

/**
 * The most characters a match of `source` can span, or undefined when that is unbounded (`*`,
 * `+`, `{n,}`) or the syntax is one this does not follow (`\Q…\E`). Zero-width assertions (`^`,
 * `$`, `\b`, `\B`, `\A`, `\z`) and flag groups span nothing.
 */
export function maxMatchLength(source: string): number | undefined {
  const longest = foldPattern<number>(source, {
    escape: (next) => (next === 'Q' ? Infinity : 'bBAz'.includes(next) ? 0 : 1),
    charClass: () => 1,
    flags: () => 0,
    group: (inner) => inner,
    char: (c) => (c === '^' || c === '$' ? 0 : 1),
    repeat: (atom, op) => (op === '?' || atom === 0 ? atom : Infinity),
    counted: (atom, _min, max) => (atom === 0 ? 0 : max === undefined ? Infinity : atom * max),
    sequence: (items) => items.reduce((a, b) => a + b, 0),
    alternation: (branches) => Math.max(...branches),
  });
  return Number.isFinite(longest) ? longest : undefined;
}
