// ripgrep arguments equivalent to the rules: every rule's regex (RE2 syntax translated to Rust's
// regex syntax) as one -e each, so rg does the same matching work segscan's rules do (rg's own
// literal prefilter stands in for segscan's keyword prefilter). RE2's \b, \w, \d and \s are
// ASCII-only; Rust's are Unicode unless `(?-u)`, which also keeps rg on its fast DFA, so each
// pattern is tried with (?-u) first and as written if rg rejects that.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export function readRules(rulesDir) {
  return readdirSync(rulesDir)
    .filter((n) => /\.ya?ml$/.test(n))
    .sort()
    .map((n) => ({ file: n, ...parse(readFileSync(join(rulesDir, n), 'utf8')) }));
}

/** RE2 -> Rust regex: named groups (?<n>...) become (?P<n>...); \Q...\E becomes escaped text. */
export function toRustRegex(re2) {
  return re2
    .replace(/\(\?<([A-Za-z_][A-Za-z0-9_]*)>/g, '(?P<$1>')
    .replace(/\\Q(.*?)(\\E|$)/g, (_, lit) => lit.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&'));
}

function rgAccepts(pattern, multiline) {
  const r = spawnSync('rg', [...(multiline ? ['-U'] : []), '-e', pattern, '-'], { input: '', encoding: 'utf8' });
  return r.status === 0 || r.status === 1;
}

/**
 * Patterns for `rg -e`, one per rule, plus the rules' keywords. Rules whose patterns match line
 * breaks (YAML blocks, context within 300 characters) need rg's multiline mode (-U), as segscan
 * matches whole files; `multiline` says whether any does. Throws if rg rejects a pattern.
 */
export function rgPatterns(rulesDir) {
  const rules = readRules(rulesDir);
  const patterns = [];
  const notes = [];
  const multilineRules = [];
  for (const rule of rules) {
    const rust = toRustRegex(rule.pattern);
    const candidates = [`(?-u)${rust}`, rust];
    const multiline = !candidates.some((c) => rgAccepts(c, false));
    const chosen = candidates.find((c) => rgAccepts(c, multiline));
    if (chosen === undefined) throw new Error(`rule ${rule.id} (${rule.file}): ripgrep cannot compile its pattern`);
    if (chosen === rust) notes.push(`${rule.id}: rg rejects (?-u); using Unicode semantics`);
    if (multiline) multilineRules.push(rule.id);
    patterns.push(chosen);
  }
  if (multilineRules.length > 0) notes.push(`multiline (-U) needed for: ${multilineRules.join(', ')}`);
  const keywords = [...new Set(rules.flatMap((r) => r.keywords.map((k) => k.toLowerCase())))];
  return { rules: rules.map((r) => r.id), patterns, keywords, multiline: multilineRules.length > 0, notes };
}

export function rgVersion() {
  return execFileSync('rg', ['--version'], { encoding: 'utf8' }).split('\n')[0];
}

/** Shell-quote for the git pipelines (bash -c). */
export function shellQuote(s) {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
