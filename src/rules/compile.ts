// Rule files in, compiled rules out. Pure: the caller reads the files and the schema.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { globMatcher } from '../globs.js';
import { compilePattern, estimateProgramSize, type Pattern } from '../engine/regex.js';
import { RuleError } from '../errors.js';
import type { RuleInfo, Severity } from '../types.js';
import type { CompiledRule, RuleExample } from './compiledRule.js';
import type { ExampleSpec, RuleFile, RuleSpec } from './ruleFile.js';

const DEFAULT_SECURITY_SEVERITY: Record<Severity, number> = { critical: 9.5, high: 8.0, medium: 5.5, low: 3.0 };

let cachedValidator: { schema: object; validate: ValidateFunction } | undefined;

function validatorFor(schema: object): ValidateFunction {
  if (cachedValidator?.schema !== schema) {
    // Loaded only when a rule file needs validating: built-in rules come pre-validated, and
    // ajv's start-up cost would otherwise land on every pre-commit run.
    const { Ajv } = createRequire(import.meta.url)('ajv') as typeof import('ajv');
    const ajv = new Ajv({ allErrors: false, strict: false });
    cachedValidator = { schema, validate: ajv.compile(schema) };
  }
  return cachedValidator.validate;
}

/** One line naming the field and what is wrong, from the first schema error. */
export function describeSchemaError(error: ErrorObject): string {
  const field = error.instancePath
    ? error.instancePath.slice(1).replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.')
    : '';
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return `missing required field '${field ? `${field}.` : ''}${String(params.missingProperty)}'`;
    case 'additionalProperties':
      return `unknown field '${field ? `${field}.` : ''}${String(params.additionalProperty)}'`;
    case 'enum':
      return `${field || 'value'} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    default:
      return `${field || 'rule'} ${error.message ?? 'is invalid'}`;
  }
}

function toMatcher(globs: string[] | undefined): ((path: string) => boolean) | undefined {
  if (!globs || globs.length === 0) return undefined;
  return globMatcher(globs);
}

function toExample(spec: ExampleSpec): RuleExample {
  return typeof spec === 'string' ? { text: spec } : spec.path === undefined ? { text: spec.text } : { text: spec.text, path: spec.path };
}

/**
 * The largest program (estimateProgramSize) a rule's pattern may compile to. Measured on RE2:
 * two `[a-c ]{0,750}` runs (~3,000) scan at ~30 ms/MB, two `{0,999}` runs (~4,000) at 22 s/MB;
 * the built-in rules stay under 1,600.
 */
export const MAX_PROGRAM_SIZE = 3000;

/** `trusted` patterns (built-in rules, compiled at build time) are compiled on first use. */
function compileOrThrow(file: string, field: string, source: string, trusted: boolean): Pattern {
  if (!trusted) {
    const size = estimateProgramSize(source);
    if (size > MAX_PROGRAM_SIZE) {
      throw new RuleError(`${file}: ${field}: the pattern is too big to run fast (about ${size} RE2 instructions, limit ${MAX_PROGRAM_SIZE}); lower its counted repetitions such as {0,999}`);
    }
  }
  try {
    return compilePattern(source, trusted);
  } catch (error) {
    throw new RuleError(`${file}: ${field}: RE2 cannot compile it (${(error as Error).message}); look-around and back-references are not supported`);
  }
}

function compileOne(file: string, spec: RuleSpec, trusted: boolean): CompiledRule {
  const pattern = compileOrThrow(file, 'pattern', spec.pattern, trusted);
  const groups = pattern.groupInfo();
  const secretGroup = spec.secretGroup ?? (groups.count > 0 ? 1 : 0);
  if (typeof secretGroup === 'number' ? secretGroup > groups.count : !groups.names.includes(secretGroup)) {
    throw new RuleError(`${file}: secretGroup: the pattern has no group ${String(secretGroup)} (it has ${groups.count})`);
  }
  const allowRegexes = (spec.allowlist?.regexes ?? []).map((r, i) => compileOrThrow(file, `allowlist.regexes[${i}]`, r, trusted));
  const appliesTo = toMatcher(spec.paths);
  const excluded = toMatcher(spec.allowlist?.paths);
  const info: RuleInfo = {
    id: spec.id,
    title: spec.title,
    description: spec.description,
    message: spec.message ?? spec.title,
    kind: spec.kind,
    severity: spec.severity,
    securitySeverity: spec.securitySeverity ?? DEFAULT_SECURITY_SEVERITY[spec.severity],
    confidence: spec.confidence ?? 'medium',
    verify: spec.verify,
    references: spec.references ?? [],
    remediation: spec.remediation,
    tags: spec.tags ?? [],
    file,
  };
  return {
    info,
    keywords: [...new Set(spec.keywords.map((k) => k.toLowerCase()))],
    wholeFile: spec.scope === 'file',
    pattern,
    secretGroup,
    minEntropy: spec.entropy,
    requireCharClasses: spec.requireCharClasses ?? [],
    requireRandom: spec.requireRandom === true,
    stopwords: (spec.allowlist?.stopwords ?? []).map((w) => w.toLowerCase()),
    allowRegexes,
    precededBy: spec.allowlist?.precededBy ? { words: spec.allowlist.precededBy.words.map((w) => w.toLowerCase()), within: spec.allowlist.precededBy.within ?? 160 } : undefined,
    appliesToPath: (path) => (appliesTo ? appliesTo(path) : true) && !(excluded?.(path) ?? false),
    overrides: new Set(spec.overrides ?? []),
    examples: { match: spec.examples.match.map(toExample), noMatch: spec.examples.noMatch.map(toExample) },
  };
}

/** Validate and compile rule files. Throws RuleError naming the file, the field and the problem. */
export function compileRules(files: readonly RuleFile[], schema: object): CompiledRule[] {
  const validate = (content: object) => validatorFor(schema)(content);
  const seen = new Map<string, string>();
  const rules: CompiledRule[] = [];
  for (const { file, content, trusted } of files) {
    if (content === null || typeof content !== 'object' || Array.isArray(content)) {
      throw new RuleError(`${file}: a rule file must be a YAML mapping of fields (id, title, pattern, ...)`);
    }
    if (!trusted && !validate(content)) {
      const first = validatorFor(schema).errors?.[0];
      throw new RuleError(`${file}: ${first ? describeSchemaError(first) : 'does not match rules/schema.json'}`);
    }
    const spec = content as unknown as RuleSpec;
    const previous = seen.get(spec.id);
    if (previous) throw new RuleError(`${file}: id: '${spec.id}' is already defined in ${previous}; rule ids must be unique`);
    seen.set(spec.id, file);
    rules.push(compileOne(file, spec, trusted === true));
  }
  for (const rule of rules) {
    for (const other of rule.overrides) {
      if (!seen.has(other)) throw new RuleError(`${rule.info.file}: overrides: no rule has id '${other}'`);
    }
  }
  return rules;
}
