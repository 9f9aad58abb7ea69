// The only module that knows which regex engine segscan uses. Every rule pattern, allowlist
// regex and user-supplied pattern goes through RE2, so matching is linear in the input and a
// hostile pattern or file cannot make a scan hang.
import { createRequire } from 'node:module';
import type RE2Type from 're2';
import { InputError } from '../errors.js';
import { LiteralFinder } from './literalFinder.js';
import { foldPattern } from './patternSyntax.js';

type RE2 = RE2Type;
const RE2 = loadRe2();

/**
 * RE2 is a native addon, built for one Node.js version. Loaded by require (not a static import) so
 * that a missing or mismatched build (Node switched with nvm, an install with --ignore-scripts)
 * becomes one line that says what happened and the command that fixes it.
 */
function loadRe2(): typeof RE2Type {
  try {
    return createRequire(import.meta.url)('re2') as typeof RE2Type;
  } catch (error) {
    throw nativeModuleError(error);
  }
}

/** The one-line explanation of a failed load of re2 (exported for its test). */
export function nativeModuleError(error: unknown): InputError {
  const message = error instanceof Error ? error.message : String(error);
  const packageDir = /(\/\S*?)\/node_modules\/re2\//.exec(message)?.[1];
  const fix = `run \`npm rebuild re2\`${packageDir ? ` in ${packageDir}` : " in the project that installed segscan (npm rebuild -g segscan for a global install)"}`;
  const versions = /NODE_MODULE_VERSION (\d+)\. This version of Node\.js requires\s+NODE_MODULE_VERSION (\d+)/.exec(message.replace(/\s+/g, ' '));
  if (versions) {
    return new InputError(`re2's native module was built for another Node.js version (module version ${versions[1]}; Node ${process.version} needs ${versions[2]}); ${fix}`);
  }
  if (/Cannot find module '[^']*re2\.node'/.test(message)) {
    return new InputError(`re2's native module is missing (was segscan installed with --ignore-scripts?); ${fix}`);
  }
  if (/Cannot find (?:module|package) 're2'/.test(message)) {
    return new InputError("the re2 package is missing; reinstall segscan (npm install segscan), or run `npm ci` in a checkout of it");
  }
  const reason = message.split('\n')[0]?.replace(/^Error: /, '').slice(0, 200) ?? 'unknown reason';
  return new InputError(`re2's native module could not be loaded (${reason}); ${fix}`);
}

export interface RegexMatch {
  /** Offsets (UTF-16 code units) of the whole match. */
  start: number;
  end: number;
  /** Offsets and text of the requested capture group. */
  groupStart: number;
  groupEnd: number;
  groupText: string;
}

export class Pattern {
  #global: RE2 | undefined;
  /** For test(); built on first use, since each RE2 object keeps its own DFA memory. */
  #plain: RE2 | undefined;
  readonly source: string;

  /**
   * `deferred`: compile on first use, for patterns known to compile (the built-in rules, checked
   * at build time). Most scans run few rules, or none (a staged change without a keyword), and
   * compiling all of them took ~10 ms of every start. Other patterns compile here, so a bad one
   * is reported when the rules load.
   */
  constructor(source: string, deferred = false) {
    this.source = source;
    if (!deferred) this.#matcher();
  }

  // `d` asks RE2 for capture-group offsets, so a finding points at the secret, not the match.
  #matcher(): RE2 {
    return (this.#global ??= new RE2(this.source, 'gd'));
  }

  /** Names and count of capture groups, for validating a rule's secretGroup. */
  groupInfo(): { count: number; names: string[] } {
    // RE2 exposes neither directly; matching the empty string against an alternation that always
    // succeeds would change semantics, so count from the source with a conservative parser.
    return countGroups(this.source);
  }

  /** Is there a match anywhere in `input` (a string, or a Buffer of UTF-8 text)? */
  test(input: string | Buffer): boolean {
    this.#plain ??= new RE2(this.source, '');
    return this.#plain.test(input as string);
  }

  /**
   * Every match in `input`. A Buffer must hold UTF-8 text, and offsets are then byte offsets; RE2
   * scans a Buffer several times faster than a JS string, which it must re-encode.
   */
  *matches(input: string | Buffer, group: number | string): Generator<RegexMatch> {
    const re = this.#matcher();
    re.lastIndex = 0;
    for (let m = re.exec(input as string); m; m = re.exec(input as string)) {
      const whole = m.indices?.[0];
      if (!whole) break;
      const span = typeof group === 'number' ? m.indices?.[group] : m.indices?.groups?.[group];
      if (whole[1] === whole[0]) re.lastIndex = nextChar(input, whole[1]); // never loop on an empty match
      if (!span) continue; // the group did not take part in this match
      const groupText = typeof input === 'string' ? input.slice(span[0], span[1]) : input.toString('utf8', span[0], span[1]);
      yield { start: whole[0], end: whole[1], groupStart: span[0], groupEnd: span[1], groupText };
    }
  }
}

/** The offset of the character after the one at `at` (in a Buffer, past its UTF-8 continuation bytes). */
function nextChar(input: string | Buffer, at: number): number {
  let next = at + 1;
  if (typeof input !== 'string') while (next < input.length && ((input[next] ?? 0) & 0xc0) === 0x80) next++;
  return next;
}

/** Compile an RE2 pattern; throws an Error whose message is RE2's reason (unless `deferred`: see Pattern). */
export function compilePattern(source: string, deferred = false): Pattern {
  return new Pattern(source, deferred);
}

/** Escape a literal for use inside a pattern. */
export function escapeLiteral(literal: string): string {
  return literal.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

function countGroups(source: string): { count: number; names: string[] } {
  let count = 0;
  const names: string[] = [];
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') { i++; continue; }
    if (inClass) { if (c === ']') inClass = false; continue; }
    if (c === '[') { inClass = true; continue; }
    if (c !== '(') continue;
    if (source[i + 1] !== '?') { count++; continue; }
    const named = /^\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(source.slice(i));
    if (named?.[1]) { count++; names.push(named[1]); }
  }
  return { count, names };
}


/**
 * Many literals, searched for in one RE2 pass (instead of one string search per literal).
 * `test` is the cheap first look at raw file bytes: RE2 scans a Buffer without converting it to
 * a JS string, at gigabytes per second. `scan` finds every occurrence, overlapping ones too: with
 * LiteralFinder where the literals are ASCII of three bytes or more (every built-in keyword), else
 * with RE2, where literals are tried longest first and a shorter literal a longer match starts with
 * (`analytics` in `analytics.load`) is recorded too. (So a keyword's case folds in ASCII only with
 * the finder: RE2 also takes the Kelvin sign for `k`, which no source code spells a keyword with.)
 */
export class KeywordScanner {
  readonly #re: RE2 | undefined;
  /** The same alternation without `g`, for test(): no match positions to track. */
  readonly #any: RE2 | undefined;
  readonly #exact: ReadonlySet<string>;
  /** The alternation, plus each literal as UTF-16LE, for binary content; built on first use. */
  #binary: RE2 | undefined;
  readonly #binarySource: string | undefined;
  /** For each literal, the shorter literals it starts with (found at the same position). */
  readonly #inside = new Map<string, Array<[string, number]>>();
  /** The same positions at the speed of a literal search, where the literals allow (literalFinder.ts). */
  readonly #finder: LiteralFinder | undefined;

  /** `anyCase` literals (stored lower-case) match in any case; `exactCase` ones only as written. */
  constructor(anyCase: readonly string[], exactCase: readonly string[] = []) {
    const folded = [...new Set(anyCase.map((l) => l.toLowerCase()))].filter((l) => l.length > 0);
    const exact = [...new Set(exactCase)].filter((l) => l.length > 0);
    this.#exact = new Set(exact);
    this.#finder = LiteralFinder.create(folded, exact);
    const byLength = (a: string, b: string) => b.length - a.length;
    const alternatives = [
      ...(folded.length > 0 ? [`(?i:${[...folded].sort(byLength).map(escapeLiteral).join('|')})`] : []),
      ...[...exact].sort(byLength).map(escapeLiteral),
    ];
    // The RE2 searches serve only where the finder cannot (for binary content, #binary does).
    const searched = !this.#finder && alternatives.length > 0;
    this.#re = searched ? new RE2(alternatives.join('|'), 'g') : undefined;
    this.#any = searched ? new RE2(alternatives.join('|'), '') : undefined;
    const wide = (literal: string) => [...literal].map((c) => `${escapeLiteral(c)}\\x00`).join('');
    const wideAlternatives = [
      ...(folded.length > 0 ? [`(?i:${folded.map(wide).join('|')})`] : []),
      ...exact.map(wide),
    ];
    this.#binarySource = alternatives.length > 0 ? [...alternatives, ...wideAlternatives].join('|') : undefined;
    // Only one alternative matches at a position (the longest), so shorter literals it starts
    // with are recorded from it; literals that start later are found by resuming one byte on.
    if (searched) for (const outer of [...folded, ...exact]) {
      const prefixes = [...folded.filter((o) => o !== outer && outer.toLowerCase().startsWith(o)), ...exact.filter((o) => o !== outer && outer.startsWith(o))];
      this.#inside.set(outer, prefixes.map((p): [string, number] => [p, 0]));
    }
  }

  /** Does any literal occur in these bytes? */
  test(bytes: Uint8Array): boolean {
    if (this.#finder) {
      let found = false;
      this.#finder.forEach(bytes, () => {
        found = true;
        return false; // the first is enough
      });
      return found;
    }
    // A Buffer already (git blobs, file contents) is passed as it is: one view less per blob.
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.#any?.test(buffer) ?? false;
  }

  /**
   * Does any literal occur in binary content, as ASCII or as UTF-16LE (`s\0e\0g\0…`, as Windows
   * programs store their strings)?
   */
  testBinary(bytes: Uint8Array): boolean {
    if (this.#binarySource === undefined) return false;
    this.#binary ??= new RE2(this.#binarySource, '');
    const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return this.#binary.test(buffer);
  }

  /** Byte offsets of each literal found in UTF-8 text (any-case literals under their lower-case form). */
  scan(utf8: Buffer): Map<string, number[]> {
    const found = new Map<string, number[]>();
    if (this.#finder) {
      this.#finder.forEach(utf8, (literal, at) => add(found, literal, at));
      return found;
    }
    const re = this.#re;
    if (!re) return found;
    re.lastIndex = 0;
    for (let m = re.exec(utf8); m; m = re.exec(utf8)) {
      const raw = (m[0] as unknown as Buffer).toString('utf8');
      const literal = this.#exact.has(raw) ? raw : raw.toLowerCase();
      add(found, literal, m.index);
      for (const [inner] of this.#inside.get(literal) ?? []) add(found, inner, m.index);
      // Resume one byte on, not after the match: keywords can overlap ("aa" and "a!" in "aa!").
      re.lastIndex = m.index + 1;
    }
    return found;
  }
}

function add(found: Map<string, number[]>, literal: string, at: number): void {
  const list = found.get(literal);
  if (list) list.push(at);
  else found.set(literal, [at]);
}

/**
 * About how many instructions RE2 compiles a pattern into: counted repetitions multiply what they
 * repeat (`[a-c ]{0,999}` is a thousand copies), which is what makes a linear-time pattern slow
 * in practice: RE2's DFA runs out of states and falls back to simulating every instruction per
 * byte (a repository's rule of three such runs took 28-43 s per MB). RE2's own count is not
 * exposed to JavaScript; this estimate errs high.
 */
export function estimateProgramSize(source: string): number {
  return foldPattern<number>(source, {
    // A Unicode class compiles to many byte ranges.
    escape: (next) => (next === 'p' || next === 'P' ? 8 : 1),
    charClass: () => 2,
    flags: () => 0,
    group: (inner) => inner + 2,
    char: (c) => (c === '.' ? 4 : 1),
    repeat: (atom) => atom + 1,
    counted: (atom, min, max) => atom * Math.max(min, max ?? min + 1, 1) + 1,
    sequence: (items) => items.reduce((a, b) => a + b, 0),
    alternation: (branches) => branches.reduce((a, b) => a + b, 0) + branches.length - 1,
  });
}
