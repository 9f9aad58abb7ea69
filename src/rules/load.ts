// Reading rule files from disk: the built-in rules/ directory and any --rules DIR.
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { RuleError } from '../errors.js';
import { packageFile } from '../packageFiles.js';
import { readBuiltinCache, ruleFileNames } from './builtinCache.js';
import type { CompiledRule } from './compiledRule.js';
import { compileRules } from './compile.js';
import type { RuleFile } from './ruleFile.js';

/** rules/ at the package root. */
export const BUILTIN_RULES_DIR = packageFile('rules');
const MAX_RULE_FILE_BYTES = 256 * 1024;

function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

export function loadRuleSchema(): object {
  return JSON.parse(readFileSync(join(BUILTIN_RULES_DIR, 'schema.json'), 'utf8')) as object;
}

/** Parse one rule file's YAML; YAML errors and alias bombs become a one-line RuleError. */
export function parseRuleYaml(file: string, text: string): RuleFile {
  // Loaded on demand: the built-in rules usually come from the pre-parsed cache.
  const yaml = createRequire(import.meta.url)('yaml') as typeof import('yaml');
  // The parser's own duplicate-key check is quadratic in the keys of a mapping; a Set is linear.
  const doc = yaml.parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  const error = doc.errors[0];
  if (error) {
    const where = error.linePos?.[0] ? ` (line ${error.linePos[0].line})` : '';
    throw new RuleError(`${file}: not valid YAML${where}: ${error.message.split('\n')[0]}`);
  }
  const duplicate = firstDuplicateKey(yaml, doc);
  if (duplicate !== undefined) throw new RuleError(`${file}: duplicate key '${duplicate}'; each field may appear once`);
  try {
    return { file, content: doc.toJS({ maxAliasCount: 50 }) as unknown };
  } catch (e) {
    throw new RuleError(`${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}

function firstDuplicateKey(yaml: typeof import('yaml'), doc: import('yaml').Document): string | undefined {
  let duplicate: string | undefined;
  yaml.visit(doc, {
    Map(_key, map) {
      const seen = new Set<string>();
      for (const pair of map.items) {
        const key = yaml.isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
        if (seen.has(key)) {
          duplicate = key;
          return yaml.visit.BREAK;
        }
        seen.add(key);
      }
      return undefined;
    },
  });
  return duplicate;
}

export function readRuleDirectory(dir: string): RuleFile[] {
  let names: string[];
  try {
    if (!statSync(dir).isDirectory()) throw new RuleError(`--rules ${displayPath(dir)}: not a directory; pass a directory of .yaml rule files`);
    names = ruleFileNames(dir);
  } catch (e) {
    if (e instanceof RuleError) throw e;
    throw new RuleError(`--rules ${displayPath(dir)}: cannot read the directory (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the path`);
  }
  return names.map((name) => {
      const path = join(dir, name);
      const file = displayPath(path);
      return parseRuleYaml(file, readRuleText(path, file));
    });
}

/** A rule file's text; a directory, dangling link or unreadable file is a RuleError naming it. */
function readRuleText(path: string, file: string): string {
  try {
    const info = statSync(path);
    if (!info.isFile()) throw new RuleError(`${file}: not a regular file; a rule file must be a .yaml file`);
    if (info.size > MAX_RULE_FILE_BYTES) throw new RuleError(`${file}: ${info.size} bytes is too large for a rule file (limit ${MAX_RULE_FILE_BYTES})`);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof RuleError) throw e;
    throw new RuleError(`${file}: cannot read the rule file (${(e as NodeJS.ErrnoException).code ?? 'error'}); check that it exists and is readable`);
  }
}

export interface RuleSelection {
  /** Extra rule directories (--rules DIR). */
  extraDirs?: readonly string[];
  /** Include the built-in rules (default true). */
  builtin?: boolean;
  /** Rule ids to leave out. */
  disabled?: readonly string[];
}

export function loadRules(selection: RuleSelection = {}): CompiledRule[] {
  const builtin = selection.builtin === false ? [] : (readBuiltinCache() ?? readRuleDirectory(BUILTIN_RULES_DIR));
  const files = [...builtin, ...(selection.extraDirs ?? []).flatMap(readRuleDirectory)];
  const rules = compileRules(files, loadRuleSchema());
  const disabled = new Set(selection.disabled ?? []);
  for (const id of disabled) {
    if (!rules.some((r) => r.info.id === id)) throw new RuleError(`disabled rule '${id}' does not exist; check the id with 'segscan rules list'`);
  }
  return rules.filter((r) => !disabled.has(r.info.id));
}
