// `.segscan.yaml` text in, validated content out. Pure. Every problem is one ConfigError line that
// names the file, the key and the line, and never repeats a value from the file: a config is
// checked in beside code and a hand-pasted secret must not leak through an error message.
import { createRequire } from 'node:module';
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { Document, LineCounter } from 'yaml';
import { redactSecret } from '../engine/redact.js';
import { ConfigError } from '../errors.js';
import { CONFIG_SCHEMA, type ConfigFileContent } from './schema.js';

// ajv and yaml load only when a config file exists: most runs (every pre-commit hook without a
// .segscan.yaml) never pay their start-up cost.
const load = createRequire(import.meta.url);
const yaml = () => load('yaml') as typeof import('yaml');

let validator: ValidateFunction | undefined;

function validate(content: unknown): ErrorObject | undefined {
  validator ??= new (load('ajv') as typeof import('ajv')).Ajv({ allErrors: false, strict: false, verbose: true }).compile(CONFIG_SCHEMA);
  return validator(content) ? undefined : (validator.errors?.[0] ?? undefined);
}

/** Key names are shown, unless one looks like a pasted credential (long with digits, or a prefix). */
function safeKey(name: string): string {
  const looksSecret = (name.length >= 16 && /\d/.test(name)) || /^sgp?_/.test(name) || name.length > 60;
  return looksSecret ? redactSecret(name) : name;
}

function pathSegments(instancePath: string): Array<string | number> {
  if (!instancePath) return [];
  return instancePath
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

function keyName(segments: ReadonlyArray<string | number>): string {
  return segments.map((s, i) => (typeof s === 'number' ? `[${s}]` : `${i > 0 ? '.' : ''}${safeKey(s)}`)).join('');
}

/** The 1-based line of the key or value at `segments` (and of `childKey` inside it, if given). */
function lineOf(doc: Document, counter: LineCounter, segments: ReadonlyArray<string | number>, childKey?: string): number | undefined {
  const node = segments.length === 0 ? doc.contents : doc.getIn(segments, true);
  let offset: number | undefined;
  if (childKey !== undefined && yaml().isMap(node)) {
    const pair = node.items.find((p) => yaml().isScalar(p.key) && String(p.key.value) === childKey);
    if (pair && yaml().isScalar(pair.key)) offset = pair.key.range?.[0];
  }
  if (offset === undefined && node && typeof node === 'object' && 'range' in node) {
    offset = (node as { range?: [number, number, number] | null }).range?.[0];
  }
  return offset === undefined ? undefined : counter.linePos(offset).line;
}

const TYPE_WORDS: Record<string, string> = {
  string: 'a string',
  integer: 'a whole number',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys',
};

function typeWords(type: unknown): string {
  const types = Array.isArray(type) ? type : [type];
  return types.map((t) => TYPE_WORDS[String(t)] ?? String(t)).join(' or ');
}

function allowedKeys(error: ErrorObject): string {
  const properties = (error.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? `; allowed keys here: ${Object.keys(properties).join(', ')}` : '';
}

/** What is wrong, in words, without the offending value. */
function problem(error: ErrorObject, key: string): string {
  const params = error.params as Record<string, unknown>;
  const described = (error.parentSchema as { description?: string } | undefined)?.description;
  const subject = key ? `'${key}'` : 'the file';
  switch (error.keyword) {
    case 'type':
      return `${subject} must be ${typeWords(params.type)}`;
    case 'enum':
      return `${subject} must be one of ${(params.allowedValues as unknown[]).map(String).join(', ')}`;
    case 'const':
      return `${subject} must be ${String(params.allowedValue)}`;
    case 'pattern':
      return `${subject} must be ${described ?? 'in the documented form'}`;
    case 'minLength':
      return `${subject} must not be empty`;
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return `${subject} must be ${String(params.comparison)} ${String(params.limit)}`;
    case 'maxItems':
      return `${subject} has more than ${String(params.limit)} entries`;
    default:
      return `${subject} ${error.message ?? 'is invalid'}`;
  }
}

function describe(error: ErrorObject, doc: Document, counter: LineCounter): string {
  const segments = pathSegments(error.instancePath);
  if (error.keyword === 'additionalProperties') {
    const unknown = String((error.params as { additionalProperty: string }).additionalProperty);
    const line = lineOf(doc, counter, segments, unknown);
    return `unknown key '${keyName([...segments, unknown])}'${line ? ` (line ${line})` : ''}${allowedKeys(error)}`;
  }
  const line = lineOf(doc, counter, segments);
  return `${problem(error, keyName(segments))}${line ? ` (line ${line})` : ''}`;
}

/** A key with no value (`output:` with every child commented out) counts as not set. */
function dropEmptyValues(value: unknown): void {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return;
  const record = value as Record<string, unknown>;
  for (const [key, child] of Object.entries(record)) {
    if (child === null) delete record[key];
    else dropEmptyValues(child);
  }
}

/** Parse and validate `.segscan.yaml`; `name` is how the file is named in error messages. */
export function parseConfigText(text: string, name: string): ConfigFileContent {
  const counter = new (yaml().LineCounter)();
  const doc = yaml().parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: counter });
  const yamlError = doc.errors[0];
  if (yamlError) {
    const line = yamlError.linePos?.[0]?.line ?? counter.linePos(yamlError.pos[0]).line;
    const what = yamlError.code === 'DUPLICATE_KEY' ? 'a key appears twice' : yamlError.code.toLowerCase().replace(/_/g, ' ');
    throw new ConfigError(`${name}: not valid YAML${line ? ` (line ${line})` : ''}: ${what}; fix the file or check it with a YAML linter`);
  }
  let content: unknown;
  try {
    content = doc.toJS({ maxAliasCount: 50 }) as unknown;
  } catch {
    throw new ConfigError(`${name}: YAML aliases expand too far; write the values out`);
  }
  if (content === null || content === undefined) return {};
  dropEmptyValues(content);
  const error = validate(content);
  if (error) throw new ConfigError(`${name}: ${describe(error, doc, counter)}`);
  return content as ConfigFileContent;
}
