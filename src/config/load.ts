// Reading `.segscan.yaml` from disk and turning its relative paths into absolute ones.
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { parseConfigText } from './parse.js';
import type { ConfigFileContent } from './schema.js';

const MAX_CONFIG_BYTES = 1024 * 1024;

/** A config file's settings with every path made absolute. */
export interface ScanConfig {
  /** Absolute path of the file. */
  file: string;
  /** How the file is named in messages (relative to the working directory when inside it). */
  name: string;
  include: string[];
  exclude: string[];
  disableRules: string[];
  ruleDirectories: string[];
  allowFingerprints: string[];
  allowPaths: string[];
  maxFileSize?: string | number;
  inlineIgnores?: boolean;
  verify: NonNullable<ConfigFileContent['verify']>;
  format?: NonNullable<ConfigFileContent['output']>['format'];
  outputFile?: string;
  baseline?: string;
}

export function displayName(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

function readConfigText(file: string, name: string): string {
  let size: number;
  try {
    const info = statSync(file);
    if (!info.isFile()) throw new ConfigError(`config ${name}: not a file; pass a .segscan.yaml file to --config`);
    size = info.size;
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(code === 'ENOENT' ? `config file not found: ${name}; check the --config path` : `cannot read config ${name} (${code}); check its permissions`);
  }
  if (size > MAX_CONFIG_BYTES) throw new ConfigError(`${name}: ${size} bytes is too large for a config file (limit ${MAX_CONFIG_BYTES})`);
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError(`cannot read config ${name} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check its permissions`);
  }
}

function ruleDirectory(dir: string, index: number, base: string, name: string): string {
  const absolute = resolve(base, dir);
  let ok = false;
  try {
    ok = statSync(absolute).isDirectory();
  } catch {
    ok = false;
  }
  if (!ok) throw new ConfigError(`${name}: 'rules.directories[${index}]' is not a directory (paths are relative to the config file)`);
  return absolute;
}

/** The report file must stay inside the config's directory: a cloned repository's config must not write elsewhere. */
function outputFile(file: string, base: string, name: string): string {
  const absolute = resolve(base, file);
  const rel = relative(base, absolute);
  if (isAbsolute(file) || rel.startsWith('..') || isAbsolute(rel)) {
    throw new ConfigError(`${name}: 'output.file' must be a relative path inside the config file's directory`);
  }
  return absolute;
}

export function loadConfigFile(file: string, cwd: string): ScanConfig {
  const absolute = resolve(cwd, file);
  const name = displayName(absolute, cwd);
  const content = parseConfigText(readConfigText(absolute, name), name);
  const base = dirname(absolute);
  const config: ScanConfig = {
    file: absolute,
    name,
    include: content.include ?? [],
    exclude: content.exclude ?? [],
    disableRules: content.rules?.disable ?? [],
    ruleDirectories: (content.rules?.directories ?? []).map((d, i) => ruleDirectory(d, i, base, name)),
    allowFingerprints: content.allowlist?.fingerprints ?? [],
    allowPaths: content.allowlist?.paths ?? [],
    verify: content.verify ?? {},
  };
  if (content.maxFileSize !== undefined) config.maxFileSize = content.maxFileSize;
  if (content.inlineIgnores !== undefined) config.inlineIgnores = content.inlineIgnores;
  if (content.output?.format !== undefined) config.format = content.output.format;
  if (content.output?.file !== undefined) config.outputFile = outputFile(content.output.file, base, name);
  if (content.baseline !== undefined) config.baseline = resolve(base, content.baseline);
  return config;
}
