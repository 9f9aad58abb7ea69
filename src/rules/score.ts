// `segscan rules score`: how well the rules do on a labelled corpus of real files. Pure: a truth
// file's text and a scan's findings in, recall per kind and per form, false positives and misses
// out. A truth row is a line that holds a credential; every finding on another line is a false
// positive, unless a row of a kind segscan does not score says the line holds some other
// credential (counted neither way).
import { UsageError } from '../errors.js';
import { visible } from '../report/escape.js';
import type { CredentialKind, Finding, RuleInfo } from '../types.js';

export const SCORED_KINDS: readonly CredentialKind[] = ['write-key', 'public-api-token', 'config-api-token', 'sg-key'];

export interface TruthRow {
  path: string;
  line: number;
  /** One of SCORED_KINDS, or any other word for a credential line that is not scored. */
  kind: string;
  /** The form the credential takes (`snippet-load`, `env-map`, …); `-` when not given. */
  family: string;
}

/** `path<TAB>line<TAB>kind[<TAB>family[<TAB>note]]` per row; `#` starts a comment line. */
export function parseTruth(text: string, name: string): TruthRow[] {
  const rows: TruthRow[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const [path = '', line = '', kind = '', family = '-'] = raw.split('\t');
    if (path === '' || !/^[1-9]\d*$/.test(line) || !/^[a-z][a-z0-9-]*$/.test(kind)) {
      throw new UsageError(`${name}: line ${index + 1} is not 'path<TAB>line<TAB>kind[<TAB>family]'; fix the truth file`);
    }
    rows.push({ path, line: Number(line), kind, family: family || '-' });
  });
  return rows;
}

export interface Tally {
  lines: number;
  found: number;
  /** Found by a rule of the row's kind (a write key found as `generic` is found, not kind-right). */
  kindRight: number;
}

export interface Score {
  byKind: Record<string, Tally>;
  byFamily: Record<string, Tally>;
  total: Tally;
  missed: TruthRow[];
  falsePositives: Array<{ path: string; line: number; ruleId: string }>;
  /** Lines holding credentials of kinds segscan does not score, and what was found on them. */
  unscored: number;
}

const key = (path: string, line: number) => `${path}\0${line}`;
const empty = (): Tally => ({ lines: 0, found: 0, kindRight: 0 });

/** Score `findings` (suppressed ones included: found is found) against `truth`. */
export function scoreFindings(truth: readonly TruthRow[], findings: readonly Finding[], rules: (ruleId: string) => RuleInfo | undefined): Score {
  const onLine = new Map<string, Finding[]>();
  for (const f of findings) {
    for (let line = f.start.line; line <= f.end.line; line++) {
      const k = key(f.path, line);
      onLine.set(k, [...(onLine.get(k) ?? []), f]);
    }
  }
  const score: Score = { byKind: {}, byFamily: {}, total: empty(), missed: [], falsePositives: [], unscored: 0 };
  const labelled = new Set<string>();
  for (const row of truth) {
    labelled.add(key(row.path, row.line));
    if (!SCORED_KINDS.includes(row.kind as CredentialKind)) {
      score.unscored++;
      continue;
    }
    const hits = onLine.get(key(row.path, row.line)) ?? [];
    const tallies = [score.total, (score.byKind[row.kind] ??= empty()), (score.byFamily[row.family] ??= empty())];
    for (const t of tallies) {
      t.lines++;
      if (hits.length > 0) t.found++;
      if (hits.some((f) => (f.kind ?? rules(f.ruleId)?.kind) === row.kind)) t.kindRight++;
    }
    if (hits.length === 0) score.missed.push(row);
  }
  for (const f of findings) {
    if (!labelled.has(key(f.path, f.start.line))) score.falsePositives.push({ path: f.path, line: f.start.line, ruleId: f.ruleId });
  }
  return score;
}

const percent = (t: Tally) => (t.lines === 0 ? '-' : `${((100 * t.found) / t.lines).toFixed(1)}%`);

function table(title: string, tallies: Record<string, Tally>): string[] {
  const names = Object.keys(tallies).sort();
  const width = Math.max(title.length, ...names.map((n) => n.length));
  return [
    `${title.padEnd(width)}  lines  found  recall  kind right`,
    ...names.map((n) => {
      const t = tallies[n] as Tally;
      return `${visible(n).padEnd(width)}  ${String(t.lines).padStart(5)}  ${String(t.found).padStart(5)}  ${percent(t).padStart(6)}  ${String(t.kindRight).padStart(10)}`;
    }),
  ];
}

/** The score as a report for people: totals, per kind, per form, then every miss and false positive. */
export function describeScore(score: Score): string {
  const out = [
    `recall ${percent(score.total)} (${score.total.found} of ${score.total.lines} credential lines), ${score.falsePositives.length} false positive${score.falsePositives.length === 1 ? '' : 's'}${score.unscored ? `, ${score.unscored} unscored lines` : ''}`,
    '',
    ...table('kind', score.byKind),
    '',
    ...table('form', score.byFamily),
  ];
  if (score.missed.length > 0) out.push('', 'Missed:', ...score.missed.map((r) => `  ${visible(r.path)}:${r.line}  ${r.kind}  ${visible(r.family)}`));
  if (score.falsePositives.length > 0) out.push('', 'False positives:', ...score.falsePositives.map((f) => `  ${visible(f.path)}:${f.line}  ${f.ruleId}`));
  return `${out.join('\n')}\n`;
}
