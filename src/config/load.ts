// Reading `.segscan.yaml` from disk and turning its relative paths into absolute ones.
import { statSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { ConfigError } from '../errors.js';
import { namesGitDirectory } from '../sources/pathFilter.js';
import { parseConfigText } from './parse.js';
import { readSmallFile } from './smallFile.js';
import type { ConfigFileContent } from './schema.js';

export const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * Who wrote a config file, as far as segscan can trust it: the invoker (a file named with
 * --config outside the scanned tree: a policy) or the scanned tree itself (found in it, or named
 * but inside it), whose settings may only narrow the scan, and are reported when they do.
 */
export type ConfigOrigin = 'invoker' | 'scanned-tree';

/** A config file's settings with every path made absolute. */
export interface ScanConfig {
  origin: ConfigOrigin;
  /** Settings the scanned tree may not make, left out, each as a sentence for the report. */
  ignored: string[];
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
  const read = readSmallFile(file, MAX_CONFIG_BYTES);
  if (read.ok) return read.text;
  if (read.problem === 'not-a-file') throw new ConfigError(`config ${name}: not a regular file; pass a .segscan.yaml file to --config`);
  if (read.problem === 'too-large') throw new ConfigError(`${name}: too large for a config file (limit ${MAX_CONFIG_BYTES} bytes)`);
  throw new ConfigError(read.code === 'ENOENT' ? `config file not found: ${name}; check the --config path` : `cannot read config ${name} (${read.code}); check its permissions`);
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

export function loadConfigFile(file: string, cwd: string, origin: ConfigOrigin): ScanConfig {
  const absolute = resolve(cwd, file);
  const name = displayName(absolute, cwd);
  return configFromText(readConfigText(absolute, name), { file: absolute, name, origin });
}

/**
 * A config from its text: `file` says where it lives (paths in it are relative to its directory),
 * `name` how messages name it (e.g. `.segscan.yaml at 1a2b3c4`, for a version read from git).
 */
export function configFromText(text: string, where: { file: string; name: string; origin: ConfigOrigin }): ScanConfig {
  const { file, name, origin } = where;
  const content = parseConfigText(text, name);
  const base = dirname(file);
  const config: ScanConfig = {
    origin,
    ignored: [],
    file,
    name,
    include: content.include ?? [],
    exclude: content.exclude ?? [],
    disableRules: content.rules?.disable ?? [],
    ruleDirectories: [],
    allowFingerprints: content.allowlist?.fingerprints ?? [],
    allowPaths: content.allowlist?.paths ?? [],
    verify: content.verify ?? {},
  };
  if (content.maxFileSize !== undefined) config.maxFileSize = content.maxFileSize;
  if (content.inlineIgnores !== undefined) config.inlineIgnores = content.inlineIgnores;
  if (content.output?.format !== undefined) config.format = content.output.format;
  if (content.baseline !== undefined) config.baseline = resolve(base, content.baseline);
  if (origin === 'invoker') {
    config.ruleDirectories = (content.rules?.directories ?? []).map((d, i) => ruleDirectory(d, i, base, name));
    if (content.output?.file !== undefined) config.outputFile = outputFile(content.output.file, base, name);
    return config;
  }
  return withoutInvokerSettings(config, content, name);
}

/**
 * What a config in the scanned tree may not do: choose where reports are written, turn on
 * network checks (or tune them), load rules, or bring `.git` back into a scan. Each setting left
 * out is named in the report, with the command-line flag that does it.
 */
function withoutInvokerSettings(config: ScanConfig, content: ConfigFileContent, name: string): ScanConfig {
  const ignore = (setting: string, flag: string) =>
    config.ignored.push(`${name}: '${setting}' ignored: a config in the scanned tree may not set it; pass ${flag} on the command line`);
  if (content.output?.file !== undefined) ignore('output.file', '--output');
  if (content.verify !== undefined && Object.keys(content.verify).length > 0) ignore('verify', '--verify (and the other --verify-* flags)');
  config.verify = {};
  if ((content.rules?.directories ?? []).length > 0) ignore('rules.directories', '--rules DIR');
  if (config.include.some(namesGitDirectory)) {
    config.include = config.include.filter((g) => !namesGitDirectory(g));
    config.ignored.push(`${name}: an 'include' naming .git ignored: a config in the scanned tree may not bring git's object store into a scan; pass --include on the command line`);
  }
  return config;
}
