// A cheap necessary condition for a rule: its secret group's own pattern. Wherever a rule matches,
// the text its secret group captured matches the group's pattern on its own, so a window where the
// group's pattern finds nothing cannot hold a match, and the rule's (often far costlier) pattern
// need not run there. The legacy Config API token rules are the case in point: context of up to
// 300 characters around a token gives their automata many states (~160 MB/s), while the token's
// shape alone (87 characters around a dot) is scanned at the speed of a plain keyword search, and
// is rarely found. Where the shape is common (a 10-character word), the check stops at the first
// hit, so it costs next to nothing.
import { type Pattern, compilePattern, estimateProgramSize } from './regex.js';

/**
 * A shape check is one more pass over a window: worth it only when the pattern costs clearly more
 * than its secret group alone. A pattern that is little more than its group (`sgp_…`, a bounded
 * 32-character token) scans as fast as the check, so the check could only add a pass.
 */
const WORTH_CHECKING = 2;

/**
 * The shape check for a pattern's capture group (number or name), or undefined when there is none
 * worth running (group 0 is the whole pattern, or the pattern is hardly costlier than the group)
 * or the group's text cannot be picked out with certainty. It is compiled case-insensitive, multi-line and with `.` matching newlines: each of
 * those only widens what it matches, so it holds whatever flags the pattern sets around the group.
 */
export function secretShape(source: string, group: number | string): Pattern | undefined {
  if (group === 0) return undefined;
  const span = groupSpan(source, group);
  if (span === undefined) return undefined;
  const inner = source.slice(span.start, span.end);
  if (estimateProgramSize(source) < WORTH_CHECKING * estimateProgramSize(inner)) return undefined;
  try {
    // With the literal that must follow it (the `:` after a Basic-auth key): rarer than the
    // group alone, so fewer windows go on to the pattern.
    const shape = compilePattern(`(?ims)(?:${inner})${literalAfter(source, span.end + 1)}`, true);
    shape.test(''); // compiles it now: a group that does not compile alone gets no check
    return shape;
  } catch {
    return undefined;
  }
}

/**
 * The text of a capture group in an RE2 pattern. Undefined for syntax this scanner does not
 * follow (`\Q…\E` quoting, a class opening with `]`, POSIX classes), so it never guesses.
 */
export function groupSource(source: string, group: number | string): string | undefined {
  const span = groupSpan(source, group);
  return span && source.slice(span.start, span.end);
}

/**
 * The plain characters the pattern requires right after offset `at` (just past a group's `)`):
 * letters, digits and escaped punctuation, up to the first that is anything else or carries a
 * quantifier (which could make it optional). Kept escaped, ready to append to a pattern.
 */
function literalAfter(source: string, at: number): string {
  let out = '';
  for (let i = at; i < source.length; ) {
    const escaped = source[i] === '\\';
    const c = escaped ? source[i + 1] : source[i];
    if (c === undefined || (escaped ? /[A-Za-z0-9]/.test(c) : !/[A-Za-z0-9:=@,;_]/.test(c))) break;
    const next = i + (escaped ? 2 : 1);
    if (/[?*+{]/.test(source[next] ?? '')) break;
    out += source.slice(i, next);
    i = next;
  }
  return out;
}

/** Where a capture group's text lies in the pattern: from just after its opening to its `)`. */
function groupSpan(source: string, group: number | string): { start: number; end: number } | undefined {
  const open: Array<{ target: boolean; start: number }> = [];
  let count = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      if (source[i + 1] === 'Q') return undefined;
      i++;
    } else if (c === '[') {
      const end = classEnd(source, i);
      if (end === undefined) return undefined;
      i = end;
    } else if (c === '(') {
      if (source[i + 1] !== '?') {
        count++;
        open.push({ target: group === count, start: i + 1 });
        continue;
      }
      const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i, i + 64));
      if (named) {
        count++;
        open.push({ target: group === count || group === named[1], start: i + named[0].length });
        i += named[0].length - 1;
        continue;
      }
      // Flags: `(?i)` sets them (no group), `(?i:` opens a group that captures nothing.
      const flags = /^\(\?[A-Za-z-]*([:)])/.exec(source.slice(i, i + 16));
      if (!flags) return undefined;
      if (flags[1] === ':') open.push({ target: false, start: i + flags[0].length });
      i += flags[0].length - 1;
    } else if (c === ')') {
      const closed = open.pop();
      if (!closed) return undefined;
      if (closed.target) return { start: closed.start, end: i };
    }
  }
  return undefined;
}

/** Index of the `]` closing the class opened at `start`, or undefined for forms not followed. */
function classEnd(source: string, start: number): number | undefined {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') return undefined;
  for (; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') i++;
    else if (c === '[' && source[i + 1] === ':') return undefined;
    else if (c === ']') return i;
  }
  return undefined;
}

/** The runs a secret group starts with: `chars` is which bytes make them (tokenRuns.ts). */
export interface GroupRun {
  minLength: number;
  chars: 'alnum' | 'token';
}

/**
 * When every branch of a secret group starts with a counted class of ASCII letters and digits
 * (`[A-Za-z0-9]{32}`, `[A-Za-z0-9]{32}|[A-Za-z0-9]{10}`), or of those and `_` and `-` (the Config
 * API token's `[A-Za-z0-9_\-]{43}\.…`), the shortest such count: every match then holds a run of
 * those characters at least this long, which tokenRuns.ts finds without a regex. Undefined for
 * anything else. (A `|` inside a nested group splits a branch in two here: the first part still
 * starts the branch, and the second can only lower the count or give no answer, so the answer is
 * never wrong.)
 */
export function groupRun(group: string): GroupRun | undefined {
  let shortest = Infinity;
  let token = false;
  for (const branch of group.split('|')) {
    const m = /^\[([^\]]*)\]\{(\d+)(?:,\d*)?\}/.exec(branch);
    const chars = m ? classChars(m[1] as string) : undefined;
    if (!m || chars === undefined || Number(m[2]) === 0) return undefined;
    token ||= chars === 'token';
    shortest = Math.min(shortest, Number(m[2]));
  }
  return Number.isFinite(shortest) ? { minLength: shortest, chars: token ? 'token' : 'alnum' } : undefined;
}

/** Which run characters a class body holds only: letters and digits, those and `_` `-`, or others. */
function classChars(body: string): GroupRun['chars'] | undefined {
  if (body.startsWith('^')) return undefined;
  let token = false;
  for (let i = 0; i < body.length; ) {
    const range = /^(?:A-[A-Z]|[B-Z]-[B-Z]|a-[a-z]|[b-z]-[b-z]|0-[0-9]|[1-9]-[1-9])/.exec(body.slice(i));
    if (range && (range[0].charCodeAt(2) >= range[0].charCodeAt(0))) {
      i += 3;
    } else if (body.startsWith('\\w', i)) {
      token = true;
      i += 2;
    } else if (body.startsWith('\\-', i) || body.startsWith('\\_', i)) {
      token = true;
      i += 2;
    } else if (body[i] === '_' || (body[i] === '-' && (i === 0 || i === body.length - 1))) {
      token = true;
      i += 1;
    } else if (/[A-Za-z0-9]/.test(body[i] as string)) {
      i += 1;
    } else {
      return undefined;
    }
  }
  return token ? 'token' : 'alnum';
}
