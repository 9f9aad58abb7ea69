// The detection engine: a fragment in, findings out. Pure and synchronous.
import type { CompiledRule } from '../rules/compiledRule.js';
import type { Confidence, Finding, Fragment, FragmentOrigin, Severity, Suppression } from '../types.js';
import { detectCredentialKind } from './credentialShape.js';
import { type DecodedView, ENCODED_PREFIX_KEYWORDS, base64Views } from './decode.js';
import { hasCharClasses, looksLikeIdentifier, shannonEntropy } from './entropy.js';
import { findingFingerprint, sha256Hex } from './fingerprint.js';
import { containsWord, isPlaceholder } from './placeholders.js';
import { KeywordScanner, type Pattern } from './regex.js';
import { maxMatchLength } from './patternReach.js';
import { type GroupRun, groupRun, groupSource, secretShape } from './secretShape.js';
import { KEY_CHAR, TOKEN_CHAR, forEachAlnumRun } from './tokenRuns.js';
import { LineIndex } from './text.js';
import { KeywordPositions, type Range, windowsAround } from './windows.js';

export interface EngineOptions {
  /** Honour `segscan:allow` comments (default true; --no-inline-ignores turns it off). */
  inlineIgnores?: boolean;
  /** Decode base64 tokens and scan what they hide (default true). */
  decodeBase64?: boolean;
  /**
   * Run a `scope: file` rule whose secret starts with a run of letters and digits (or of those and
   * `_` `-`) only around such runs
   * (default true; the tests turn it off to check it finds the same).
   */
  runWindows?: boolean;
}

export interface Engine {
  readonly rules: readonly CompiledRule[];
  /**
   * The cheap first look at raw file bytes: false means no rule keyword (nor an encoded
   * prefix) occurs, so decoding and matching can be skipped. Valid for ASCII-compatible bytes.
   */
  mayContainSecrets(bytes: Uint8Array): boolean;
  /** The same first look for binary content: keywords as ASCII or as UTF-16LE. */
  mayContainSecretsInBinary(bytes: Uint8Array): boolean;
  detect(fragment: Fragment): Finding[];
  /**
   * What detect does, on text given as its UTF-8 bytes (valid UTF-8, no byte-order mark): the
   * engine works on bytes, so a file read from disk is scanned without ever becoming a string.
   */
  detectUtf8(origin: FragmentOrigin, utf8: Buffer, options?: DetectOptions): Finding[];
}

export interface DetectOptions {
  /** Collapse a secret's repeats beyond MAX_OCCURRENCES_PER_SECRET into a count (default true). */
  collapse?: boolean;
}

export const INLINE_ALLOW_MARKER = 'segscan:allow';
/** How much of the comment after `segscan:allow` a report repeats as the justification. */
export const MAX_JUSTIFICATION_BYTES = 120;

/** The suppression of a finding on a line marked `segscan:allow`, with the comment after it. */
export function inlineSuppression(comment: string): Suppression {
  const reason = comment.replace(/^[\s:,-]+/, '').replace(/\s*(\*\/|-->|%>|\?>)\s*$/, '').trim();
  return { kind: 'inSource', by: 'inline-ignore', origin: 'scanned-tree', justification: reason ? `segscan:allow: ${reason}` : 'segscan:allow on the line' };
}

/** The documented file locations where a hit is more likely a real key. */
const LIKELY_SECRET_FILES = /(^|\/)(\.env(\.[^/]*)?|config\.json|settings\.ya?ml|app-config\.js|credentials\.txt)$/i;

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1 };
const CONFIDENCE_RANK: Record<Confidence, number> = { high: 3, medium: 2, low: 1 };
const RAISED: Record<Confidence, Confidence> = { low: 'medium', medium: 'high', high: 'high' };

interface Candidate {
  rule: CompiledRule;
  /** Secret span, in bytes of the fragment's UTF-8 text (for decoded secrets: the encoded token). */
  start: number;
  end: number;
  secret: string;
  decoded: boolean;
  keyword: string;
}

/**
 * No Segment credential is shorter (the oldest write keys have 10 characters), and a report's
 * `secretHash` of a few characters could be reversed: a rule capturing one character would give
 * away a key one hash at a time.
 */
export const MIN_SECRET_LENGTH = 10;

function rejectsSecret(rule: CompiledRule, secret: string): boolean {
  if (isPlaceholder(secret)) return true;
  if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return true;
  if (!hasCharClasses(secret, rule.requireCharClasses)) return true;
  if (rule.requireRandom && looksLikeIdentifier(secret)) return true;
  if (containsWord(secret, rule.stopwords)) return true;
  return rule.allowRegexes.some((r) => r.test(secret));
}

/**
 * Is the secret labelled as another vendor's: does one of the rule's `precededBy` words occur just
 * before it, nearer than any of the rule's keywords? (`giphy: { apiKey: "…" }` is Giphy's key,
 * `// Segment, not Google:\nkey: "…"` still Segment's.)
 */
function labelledForAnotherVendor(rule: CompiledRule, utf8: Buffer, start: number): boolean {
  const { words, within } = rule.precededBy as NonNullable<CompiledRule['precededBy']>;
  // Bytes, not characters: `within` * 3 bytes hold `within` characters of any text.
  const before = utf8.toString('latin1', Math.max(0, start - within * 3), start).slice(-within).toLowerCase();
  const nearest = (names: readonly string[]) => Math.max(-1, ...names.map((n) => before.lastIndexOf(n)));
  const vendor = nearest(words);
  return vendor !== -1 && vendor > nearest(rule.keywords);
}

/** Rules with a keyword in the text, each with the first of its keywords found. */
function rulesFor(rules: readonly CompiledRule[], positions: KeywordPositions): Array<[CompiledRule, string]> {
  const out: Array<[CompiledRule, string]> = [];
  for (const rule of rules) {
    const keyword = rule.keywords.find((k) => positions.has(k));
    if (keyword !== undefined) out.push([rule, keyword]);
  }
  return out;
}

/** How far from a keyword a rule's match may reach; documented in rules/README.md. */
export const KEYWORD_WINDOW = 2048;
/**
 * A `scope: file` rule's keywords are context for the whole of a file up to this size. A bigger
 * file is a bundle, a source map or a dump, where one mention of Segment says nothing about a
 * token megabytes away: there the context reaches LARGE_FILE_CONTEXT characters around each
 * keyword. (It also keeps such rules from reading every large file that says "segments" whole:
 * on 500 MB of real npm packages, 303 MB of files hold the word; 91 MB of them are files of
 * 256 KiB or less. Every Segment file of the real-world evaluation sets is far smaller.)
 */
export const WHOLE_FILE_CONTEXT_BYTES = 256 * 1024;
export const LARGE_FILE_CONTEXT = 16 * 1024;

/**
 * Run each rule on the windows around its keywords in a (raw) UTF-8 text, where its secret's shape
 * occurs (secretShape.ts).
 */
function matchRulesNearKeywords(rules: Array<[CompiledRule, string]>, utf8: Buffer, positions: KeywordPositions, lines: LineIndex, shapeOf: (rule: CompiledRule) => Pattern | undefined, runsOf: (rule: CompiledRule) => RunLocator | undefined, out: Candidate[]): void {
  // Rules with the same keywords (four built-in rules have only "segment") share their windows,
  // and rules with the same secret shape there (the two Config API token rules) its answers.
  const windowsFor = new Map<string, Range[]>();
  const shapeFound = new Map<string, boolean>();
  for (const [rule, keyword] of rules) {
    // A whole-file rule's keywords say the file is about Segment; its match may be anywhere.
    const key = rule.wholeFile ? '\0file' : rule.keywords.join('\0');
    let windows = windowsFor.get(key);
    if (!windows) {
      const near = rule.keywords.flatMap((k) => positions.of(k));
      windows = !rule.wholeFile
        ? windowsAround(near, lines, KEYWORD_WINDOW, false)
        : utf8.length <= WHOLE_FILE_CONTEXT_BYTES
          ? [[0, utf8.length]]
          : windowsAround(near, lines, LARGE_FILE_CONTEXT, false);
      windowsFor.set(key, windows);
    }
    // A whole-file rule whose secret starts with a run of letters and digits (or token
    // characters) runs only around such runs.
    const runs = rule.wholeFile ? runsOf(rule) : undefined;
    if (runs) {
      const runKey = `${key}\0${runs.minLength}\0${runs.reach}\0${runs.chars}`;
      let near = windowsFor.get(runKey);
      if (!near) windowsFor.set(runKey, (near = windowsAroundRuns(utf8, windows, lines, runs)));
      windows = near;
    }
    const shape = shapeOf(rule);
    for (const [from, to] of windows) {
      if (shape) {
        const asked = `${shape.source}\0${from}\0${to}`;
        let found = shapeFound.get(asked);
        if (found === undefined) shapeFound.set(asked, (found = shape.test(utf8.subarray(from, to))));
        if (!found) continue;
      }
      for (const m of rule.pattern.matches(utf8.subarray(from, to), rule.secretGroup)) {
        if (m.groupText.length < MIN_SECRET_LENGTH || rejectsSecret(rule, m.groupText)) continue;
        if (rule.precededBy && labelledForAnotherVendor(rule, utf8, from + m.groupStart)) continue;
        out.push({ rule, start: from + m.groupStart, end: from + m.groupEnd, secret: m.groupText, decoded: false, keyword });
        if (out.length >= MAX_CANDIDATES) return;
      }
    }
  }
}

/** Where a rule's secret starts with a run of letters and digits (or token characters), and how far from one its match can reach. */
interface RunLocator {
  minLength: number;
  /** What runs are made of. */
  chars: GroupRun['chars'];
  /** The most characters a match spans (patternReach.ts). */
  reach: number;
}

function runLocator(rule: CompiledRule): RunLocator | undefined {
  const group = rule.secretGroup === 0 ? undefined : groupSource(rule.pattern.source, rule.secretGroup);
  const run = group === undefined ? undefined : groupRun(group);
  const reach = run === undefined ? undefined : maxMatchLength(rule.pattern.source);
  return run !== undefined && reach !== undefined ? { ...run, reach } : undefined;
}

/** The bytes each kind of run is made of (tokenRuns.ts). */
const RUN_CHARS: Record<GroupRun['chars'], Uint8Array> = { alnum: KEY_CHAR, token: TOKEN_CHAR };

/**
 * The parts of `windows` within reach of a run of at least `minLength` run characters: a match
 * holds such a run and spans at most `reach` characters (of up to four bytes each), so every match
 * lies there. A part never starts inside a run that long (such a run has its own part, which
 * reaches further back), so `^` at its start cannot match where the whole text would not.
 */
function windowsAroundRuns(utf8: Buffer, windows: readonly Range[], lines: LineIndex, { minLength, chars, reach }: RunLocator): Range[] {
  const margin = 4 * reach;
  const out: Range[] = [];
  // Windows start and end on character boundaries, so snapping to one never leaves the window.
  for (const [from, to] of windows) {
    forEachAlnumRun(utf8, from, to, minLength, (start, end) => {
      const a = lines.charStart(Math.max(from, start - margin));
      const b = lines.charEnd(Math.min(to, end + margin));
      const last = out[out.length - 1];
      if (last && a <= last[1]) last[1] = Math.max(last[1], b);
      else out.push([a, b]);
    }, RUN_CHARS[chars]);
  }
  return out;
}

/** Run rules on a decoded view; findings land on the encoded token. */
function matchRulesInView(rules: Array<[CompiledRule, string]>, view: DecodedView, out: Candidate[]): void {
  for (const [rule, keyword] of rules) {
    for (const m of rule.pattern.matches(view.text, rule.secretGroup)) {
      if (m.groupStart < view.decodedStart || m.groupText.length < MIN_SECRET_LENGTH || rejectsSecret(rule, m.groupText)) continue;
      out.push({ rule, start: view.tokenStart, end: view.tokenEnd, secret: m.groupText, decoded: true, keyword });
      if (out.length >= MAX_CANDIDATES) return;
    }
  }
}


/**
 * Matches one fragment may produce before the engine stops looking: memory stays bounded on a
 * file generated to be full of keys. The scan reports at most MAX_FINDINGS_PER_FILE of them.
 */
export const MAX_CANDIDATES = 20_000;

/** Occurrences of one secret (by one rule) listed per file; the rest are counted on the last one. */
export const MAX_OCCURRENCES_PER_SECRET = 10;

/**
 * One secret repeated all over a file (a 9.5 MB line of one base64 key held 106,741) is one
 * finding per occurrence up to a few, then a count: the report stays readable and small. Findings
 * go in in order, in as many calls as it takes (a file scanned in windows).
 */
export class RepeatCollapser {
  readonly kept: Finding[] = [];
  readonly #byIdentity = new Map<string, Finding[]>();

  add(f: Finding): void {
    const key = `${f.ruleId}\0${f.secretHash}`;
    let same = this.#byIdentity.get(key);
    if (!same) this.#byIdentity.set(key, (same = []));
    if (same.length < MAX_OCCURRENCES_PER_SECRET) {
      same.push(f);
      this.kept.push(f);
    } else {
      const last = same[same.length - 1] as Finding;
      last.moreOccurrences = (last.moreOccurrences ?? 0) + 1;
    }
  }
}

export function collapseRepeats(findings: Finding[]): Finding[] {
  if (findings.length <= MAX_OCCURRENCES_PER_SECRET) return findings;
  const collapser = new RepeatCollapser();
  for (const f of findings) collapser.add(f);
  return collapser.kept;
}

/** Should `a` be kept over `b` when their secret spans overlap? */
function beats(a: Candidate, b: Candidate): boolean {
  if (a.rule === b.rule) return a.decoded !== b.decoded ? a.decoded : a.start <= b.start;
  if (a.rule.overrides.has(b.rule.info.id)) return true;
  if (b.rule.overrides.has(a.rule.info.id)) return false;
  const severity = SEVERITY_RANK[a.rule.info.severity] - SEVERITY_RANK[b.rule.info.severity];
  if (severity !== 0) return severity > 0;
  const confidence = CONFIDENCE_RANK[a.rule.info.confidence] - CONFIDENCE_RANK[b.rule.info.confidence];
  if (confidence !== 0) return confidence > 0;
  return a.rule.info.id < b.rule.info.id;
}

/**
 * Keep one candidate per overlapping group; identical repeats of one rule at one span collapse.
 * Candidates are taken in start order, so the kept ones stay sorted and non-overlapping, and only
 * a suffix of them can overlap the next candidate: linear even on a line holding thousands of keys.
 */
function resolveOverlaps(candidates: Candidate[]): Candidate[] {
  const ordered = [...candidates].sort((a, b) => a.start - b.start || a.end - b.end);
  const kept: Candidate[] = [];
  for (const c of ordered) {
    let firstRival = kept.length;
    while (firstRival > 0 && (kept[firstRival - 1] as Candidate).end > c.start) firstRival--;
    const rivals = kept.slice(firstRival);
    if (rivals.every((r) => beats(c, r))) kept.splice(firstRival, rivals.length, c);
  }
  return kept;
}

export function createEngine(rules: readonly CompiledRule[], options: EngineOptions = {}): Engine {
  const inlineIgnores = options.inlineIgnores ?? true;
  const decodeBase64 = options.decodeBase64 ?? true;
  const encodedPrefixes = decodeBase64 ? ENCODED_PREFIX_KEYWORDS : [];
  const keywordScanner = new KeywordScanner(rules.flatMap((r) => r.keywords), encodedPrefixes);
  const allKeywords = [...new Set(rules.flatMap((r) => r.keywords))];
  const shapes = new Map<CompiledRule, Pattern | undefined>();
  const shapeOf = (rule: CompiledRule): Pattern | undefined => {
    if (!shapes.has(rule)) shapes.set(rule, secretShape(rule.pattern.source, rule.secretGroup));
    return shapes.get(rule);
  };
  const runWindows = options.runWindows ?? true;
  const locators = new Map<CompiledRule, RunLocator | undefined>();
  const runsOf = (rule: CompiledRule): RunLocator | undefined => {
    if (!runWindows) return undefined;
    if (!locators.has(rule)) locators.set(rule, runLocator(rule));
    return locators.get(rule);
  };
  const keywordsOf = (set: readonly CompiledRule[]) => (set.length === rules.length ? allKeywords : [...new Set(set.flatMap((r) => r.keywords))]);

  function detectUtf8(origin: FragmentOrigin, utf8: Buffer, detectOptions: DetectOptions = {}): Finding[] {
    const forPath = rules.filter((r) => r.appliesToPath(origin.path));
    if (forPath.length === 0 || utf8.length === 0) return [];
    const candidates: Candidate[] = [];
    const positions = new KeywordPositions(keywordScanner.scan(utf8));
    const lines = new LineIndex(utf8);
    matchRulesNearKeywords(rulesFor(forPath, positions), utf8, positions, lines, shapeOf, runsOf, candidates);
    if (decodeBase64) {
      for (const view of base64Views(utf8, keywordsOf(forPath), positions, lines)) {
        if (candidates.length >= MAX_CANDIDATES) break;
        const viewRules = rulesFor(forPath, new KeywordPositions(keywordScanner.scan(Buffer.from(view.text, 'utf8'))));
        if (viewRules.length > 0) matchRulesInView(viewRules, view, candidates);
      }
    }
    if (candidates.length === 0) return [];
    const findings = toFindings(origin, lines, resolveOverlaps(candidates));
    return detectOptions.collapse === false ? findings : collapseRepeats(findings);
  }

  function toFindings(fragment: FragmentOrigin, lines: LineIndex, candidates: Candidate[]): Finding[] {
    const location = LIKELY_SECRET_FILES.exec(fragment.path)?.[2];
    const findings: Finding[] = [];
    // One look per line: a long line holding thousands of findings must not be searched for each.
    const allowedLines = new Map<number, string | undefined>();
    const allowReason = (line0: number): string | undefined => {
      if (!allowedLines.has(line0)) allowedLines.set(line0, lines.textAfter(line0, INLINE_ALLOW_MARKER, MAX_JUSTIFICATION_BYTES));
      return allowedLines.get(line0);
    };
    for (const c of candidates) {
      const startLine0 = lines.lineOf(c.start);
      const allowed = inlineIgnores ? allowReason(startLine0) : undefined;
      const start = lines.position(c.start, fragment.startLine);
      if (fragment.onlyLines && !fragment.onlyLines.some(([a, b]) => start.line >= a && start.line <= b)) continue;
      const signals = [`pattern:${c.rule.info.id}`, `keyword:${c.keyword}`];
      if (c.rule.minEntropy !== undefined) signals.push(`entropy:${shannonEntropy(c.secret).toFixed(2)}`);
      if (c.decoded) signals.push('decoded:base64');
      let confidence = c.rule.info.confidence;
      if (location) {
        confidence = RAISED[confidence];
        signals.push(`file-location:${location}`);
      }
      const secretHash = sha256Hex(c.secret);
      const finding: Finding = {
        ruleId: c.rule.info.id,
        path: fragment.path,
        start,
        end: lines.position(c.end, fragment.startLine),
        secret: c.secret,
        secretHash,
        confidence,
        signals,
        fingerprint: findingFingerprint(c.rule.info.id, secretHash, fragment.path),
      };
      if (c.rule.info.kind === 'generic') {
        const shaped = detectCredentialKind(c.secret);
        if (shaped !== undefined && shaped !== 'generic') finding.kind = shaped;
      }
      if (fragment.commit) finding.commit = fragment.commit;
      // A segscan:allow keeps the finding, marked: reports show it as suppressed, never drop it.
      if (allowed !== undefined) finding.suppression = inlineSuppression(allowed);
      findings.push(finding);
    }
    return findings;
  }

  return {
    rules,
    detectUtf8,
    detect: (fragment) => detectUtf8(fragment, Buffer.from(fragment.text, 'utf8')),
    mayContainSecrets: (bytes) => keywordScanner.test(bytes),
    mayContainSecretsInBinary: (bytes) => keywordScanner.testBinary(bytes),
  };
}
