// The engine with a workspace's known write keys: every finding of the wrapped engine whose secret
// is a known key is attributed to its source, and every other occurrence of a known key becomes a
// finding of segment-known-write-key, whatever its context. The keyword gate lets a file through
// when it holds a keyword or a known key, so files no rule would look at are still searched.

import { findingFingerprint } from '../engine/fingerprint.js';
import { LineIndex } from '../engine/text.js';
import { SEVERITY_OF_SOURCE_KIND } from '../segment/sourceKind.js';
import { INLINE_ALLOW_MARKER, MAX_JUSTIFICATION_BYTES, collapseRepeats, createEngine, inlineSuppression, type DetectOptions, type Engine, type EngineOptions } from '../engine/detect.js';
import type { CompiledRule } from '../rules/compiledRule.js';
import type { Finding, FragmentOrigin, KnownKeySource, Position } from '../types.js';
import type { KnownKeyIndex } from './file.js';
import { KNOWN_KEY_RULE_ID, knownKeyRule } from './rule.js';
import { createKnownKeyMatcher, type KnownKeyHit } from './tokens.js';

export interface KnownKeyOptions {
  inlineIgnores?: boolean | undefined;
}

/** The scan's engine, on the main thread and in every worker: with the known keys when there are any. */
export function createScanEngine(rules: readonly CompiledRule[], options: EngineOptions, knownKeys: KnownKeyIndex | undefined): Engine {
  const engine = createEngine(rules, options);
  return knownKeys ? withKnownKeys(engine, knownKeys, options) : engine;
}

export function withKnownKeys(engine: Engine, index: KnownKeyIndex, options: KnownKeyOptions = {}): Engine {
  const matcher = createKnownKeyMatcher(index);
  const inlineIgnores = options.inlineIgnores ?? true;
  const rules = [...engine.rules, knownKeyRule()];

  const attribute = (f: Finding): Finding => {
    const known = matcher.sourceOf(f.secretHash);
    return known ? { ...f, ...attribution(known, f.signals) } : f;
  };

  function detectUtf8(origin: FragmentOrigin, utf8: Buffer, options: DetectOptions = {}): Finding[] {
    const found = engine.detectUtf8(origin, utf8, options).map(attribute);
    const hits = matcher.hits(utf8);
    if (hits.length === 0) return found;
    const lines = new LineIndex(utf8);
    const extra: Finding[] = [];
    for (const hit of hits) {
      const finding = hitFinding(hit, origin, utf8, lines, inlineIgnores);
      // Already found (and attributed) by another rule at this place: one finding is enough.
      if (finding && !found.some((f) => f.secretHash === hit.sha256 && within(finding.start, f.start, f.end))) extra.push(finding);
    }
    if (extra.length === 0) return found;
    return options.collapse === false ? [...found, ...extra] : collapseRepeats([...found, ...extra]);
  }

  return {
    rules,
    detectUtf8,
    detect: (fragment) => detectUtf8(fragment, Buffer.from(fragment.text, 'utf8')),
    mayContainSecrets: (bytes) => engine.mayContainSecrets(bytes) || matcher.occursIn(bytes),
    mayContainSecretsInBinary: (bytes) => engine.mayContainSecretsInBinary(bytes) || matcher.occursIn(bytes),
  };
}

function hitFinding(hit: KnownKeyHit, origin: FragmentOrigin, utf8: Buffer, lines: LineIndex, inlineIgnores: boolean): Finding | undefined {
  const allowed = inlineIgnores ? lines.textAfter(lines.lineOf(hit.start), INLINE_ALLOW_MARKER, MAX_JUSTIFICATION_BYTES) : undefined;
  const start = lines.position(hit.start, origin.startLine);
  if (origin.onlyLines && !origin.onlyLines.some(([a, b]) => start.line >= a && start.line <= b)) return undefined;
  const finding: Finding = {
    ruleId: KNOWN_KEY_RULE_ID,
    path: origin.path,
    start,
    end: lines.position(hit.end, origin.startLine),
    secret: utf8.toString('latin1', hit.start, hit.end),
    secretHash: hit.sha256,
    fingerprint: findingFingerprint(KNOWN_KEY_RULE_ID, hit.sha256, origin.path),
    ...attribution(hit.source, []),
  };
  if (origin.commit) finding.commit = origin.commit;
  // As for every rule: a segscan:allow keeps the finding, marked suppressed.
  if (allowed !== undefined) finding.suppression = inlineSuppression(allowed);
  return finding;
}

/**
 * What a known key adds to a finding: its source, the source kind's severity, and the highest
 * confidence level: a hash match is certain, and `high` is the top of segscan's scale.
 */
function attribution(known: KnownKeySource, signals: readonly string[]): Pick<Finding, 'knownKey' | 'severity' | 'confidence' | 'signals'> {
  return {
    knownKey: known,
    severity: SEVERITY_OF_SOURCE_KIND[known.source.kind],
    confidence: 'high',
    signals: [...signals, `known-key:${known.source.slug}`],
  };
}

function within(p: Position, start: Position, end: Position): boolean {
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.column < b.column);
  return !before(p, start) && before(p, end);
}
