// What a scan runs with: the command line, filled in from a config file. Options typed on the
// command line win; list settings (globs, rule ids) from both apply, each labelled with where it
// came from. The trust model (README "Trust model") decides what a config may do: a policy file
// the invoker names outside the scanned tree may set anything; the scanned tree's own config may
// only narrow the scan, and every narrowing it causes is reported. `--strict` reads none of the
// scanned tree's config, baselines or inline ignores.
import { relative, resolve } from 'node:path';
import { parseBaseline, type Baseline } from '../baseline/format.js';
import { readBaselineFile } from '../baseline/file.js';
import type { CommandIO } from '../commands/io.js';
import type { ScanArgs } from '../commands/scanOptions.js';
import { ConfigError } from '../errors.js';
import type { PathGlobs } from '../sources/pathFilter.js';
import type { Narrowing, NarrowingOrigin, ScanMode } from '../types.js';
import { findConfigFile } from './discover.js';
import { optionGiven } from './explicitOptions.js';
import { MAX_CONFIG_BYTES, configFromText, displayName, loadConfigFile, type ScanConfig } from './load.js';
import { changedBetween, configAtRevision, rangeEnds, readAtRevision, short } from './policyAtRevision.js';
import { isInsideTrees, scannedTrees } from './trust.js';

export const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export interface LoadedBaseline {
  baseline: Baseline;
  /** How reports name it. */
  name: string;
  origin: NarrowingOrigin;
}

export interface ScanSettings {
  args: ScanArgs;
  /** The config file in use, if any. */
  config?: ScanConfig;
  /** The baseline to compare with (--baseline or the config's), read before scanning. */
  baseline?: LoadedBaseline;
  include: PathGlobs[];
  exclude: PathGlobs[];
  /** Rule ids turned off, from the command line and the config. */
  disabledRules: string[];
  /** Narrowings known before the scan (disabled rules, a lowered size limit); the walk adds counts. */
  narrowing: Narrowing[];
  /** Sentences for the report's warnings: settings left out, policy read from another revision. */
  notes: string[];
}

/** A history scan of a range reads its policy at the range's base (`segscan git --range A..B`). */
export interface PolicyRange {
  repo: string;
  range: string;
}

/** Where the config search starts: the one path or repository named, else the working directory. */
export function configSearchStart(args: object, cwd: string): string {
  const { paths, repo } = args as { paths?: unknown; repo?: unknown };
  if (Array.isArray(paths) && paths.length === 1 && typeof paths[0] === 'string') return resolve(cwd, paths[0]);
  if (typeof repo === 'string') return resolve(cwd, repo);
  return cwd;
}

/** The effective arguments: `args` with every option the user did not type taken from `config`. */
export function applyConfig(args: ScanArgs, config: ScanConfig, cwd: string): ScanArgs {
  const out: ScanArgs = { ...args };
  const given = (flag: keyof ScanArgs) => optionGiven(args, flag, args[flag]);
  const fill = <K extends keyof ScanArgs>(flag: K, value: ScanArgs[K] | undefined) => {
    if (value !== undefined && !given(flag)) out[flag] = value;
  };
  fill('format', config.format);
  fill('maxFileSize', config.maxFileSize === undefined ? undefined : String(config.maxFileSize));
  fill('inlineIgnores', config.inlineIgnores);
  fill('verify', config.verify.enabled);
  fill('verifyConcurrency', config.verify.concurrency);
  fill('verifyTimeout', config.verify.timeout);
  fill('onlyVerified', config.verify.onlyVerified);
  fill('failOn', config.verify.failOn);
  if (args.output === undefined && config.outputFile !== undefined) out.output = displayName(config.outputFile, cwd);
  return out;
}

/** The config in use and what the scan must say about it, or nothing. */
async function chooseConfig(mode: ScanMode, args: ScanArgs, io: Pick<CommandIO, 'cwd' | 'signal'>, trees: string[], notes: string[], at?: PolicyRange): Promise<ScanConfig | undefined> {
  if (args.config === false) return undefined;
  if (args.config !== undefined && args.config !== '') {
    const file = resolve(io.cwd, args.config);
    const origin = isInsideTrees(file, trees) ? 'scanned-tree' : 'invoker';
    if (origin === 'invoker') return loadConfigFile(file, io.cwd, 'invoker');
    if (args.strict) {
      notes.push(`strict: --config ${args.config} is inside the scanned tree, so it was not read`);
      return undefined;
    }
    return loadConfigFile(file, io.cwd, 'scanned-tree');
  }
  if (at) return args.strict ? undefined : configOfRangeBase(at, io, notes);
  const found = findConfigFile(configSearchStart(mode === 'stdin' ? {} : args, io.cwd));
  if (found === undefined) return undefined;
  if (args.strict) {
    notes.push(`strict: ${displayName(found, io.cwd)} (the scanned tree's config) was not read`);
    return undefined;
  }
  return loadConfigFile(found, io.cwd, 'scanned-tree');
}

async function repositoryTop(repo: string, signal: AbortSignal | undefined): Promise<string> {
  const { runGit } = await import('../sources/gitCommand.js');
  const { stdout } = await runGit(repo, ['rev-parse', '--show-toplevel'], { signal, okExitCodes: [0, 128] });
  return stdout.trim() || repo;
}

async function configOfRangeBase(at: PolicyRange, io: Pick<CommandIO, 'signal'>, notes: string[]): Promise<ScanConfig | undefined> {
  const { base, head } = rangeEnds(at.range);
  const read = await configAtRevision(at.repo, base, MAX_CONFIG_BYTES, io.signal);
  if ('refused' in read) {
    notes.push(`${read.refused}; the scan ran without a config`);
    return undefined;
  }
  const changes = (path: string) => changedBetween(at.repo, base, head, path, io.signal);
  if ('missing' in read) {
    for (const name of ['.segscan.yaml', '.segscan.yml']) {
      if (await changes(name)) notes.push(`this range adds ${name}; the scan used the policy at ${short(base)} (none)`);
    }
    return undefined;
  }
  const { path, text } = read.found;
  if (await changes(path)) notes.push(`this range changes ${path}; the scan used its version at ${short(base)}`);
  const root = await repositoryTop(at.repo, io.signal);
  return configFromText(text, { file: resolve(root, path), name: `${path} at ${short(base)}`, origin: 'scanned-tree' });
}

/** The baseline the scan compares with, read as the trust model allows; undefined for none. */
async function chooseBaseline(args: ScanArgs, config: ScanConfig | undefined, io: Pick<CommandIO, 'cwd' | 'signal'>, trees: string[], notes: string[], at?: PolicyRange): Promise<LoadedBaseline | undefined> {
  if (args.writeBaseline !== undefined || args.baseline === false) return undefined;
  const fromCommandLine = typeof args.baseline === 'string' && args.baseline !== '';
  const path = fromCommandLine ? resolve(io.cwd, args.baseline as string) : config?.baseline;
  if (path === undefined) return undefined;
  const name = displayName(path, io.cwd);
  const insideTree = isInsideTrees(path, trees);
  if (!insideTree && !fromCommandLine && config?.origin === 'scanned-tree') {
    notes.push(`${config.name}: 'baseline' ignored: it names a file outside the scanned tree`);
    return undefined;
  }
  const origin: NarrowingOrigin = insideTree ? 'scanned-tree' : 'invoker';
  if (origin === 'scanned-tree' && args.strict) {
    notes.push(`strict: baseline ${name} is inside the scanned tree, so it was not read`);
    return undefined;
  }
  if (at && insideTree) return baselineOfRangeBase(at, path, io, notes);
  return { baseline: readBaselineFile(path, name), name, origin };
}

async function baselineOfRangeBase(at: PolicyRange, path: string, io: Pick<CommandIO, 'signal'>, notes: string[]): Promise<LoadedBaseline | undefined> {
  const { base, head } = rangeEnds(at.range);
  const root = await repositoryTop(at.repo, io.signal);
  const inRepository = relative(root, path).split('\\').join('/');
  const read = await readAtRevision(at.repo, base, inRepository, MAX_BASELINE_BYTES, io.signal);
  if (await changedBetween(at.repo, base, head, inRepository, io.signal)) notes.push(`this range changes ${inRepository}; the scan used the baseline at ${short(base)}`);
  if ('refused' in read) throw new ConfigError(`baseline ${read.refused}; fix it on the base branch`);
  if ('missing' in read) {
    notes.push(`baseline ${inRepository} does not exist at ${short(base)}; the scan ran without one`);
    return undefined;
  }
  const name = `${inRepository} at ${short(base)}`;
  return { baseline: parseBaseline(read.found.text, name), name, origin: 'scanned-tree' };
}

function globsOf(config: ScanConfig | undefined, key: 'include' | 'exclude', args: ScanArgs): PathGlobs[] {
  const sets: PathGlobs[] = [];
  if (args[key].length > 0) sets.push({ globs: args[key], origin: 'invoker', source: `--${key}` });
  if (config && config[key].length > 0) sets.push({ globs: config[key], origin: config.origin, source: config.name });
  return sets;
}

/** What the config narrows before anything is scanned: rules it turns off, a lower size limit. */
function configNarrowing(config: ScanConfig, effective: ScanArgs, args: ScanArgs): Narrowing[] {
  const source = config.name;
  const out: Narrowing[] = config.disableRules.map((id) => ({ origin: config.origin, setting: 'rules.disable', value: id, source }));
  if (config.maxFileSize !== undefined && effective.maxFileSize !== args.maxFileSize) {
    out.push({ origin: config.origin, setting: 'maxFileSize', value: String(config.maxFileSize), source });
  }
  return out;
}

/**
 * Find (or take from --config) the config file and the baseline, and apply them; --no-config
 * skips the config. `at` makes a range scan read both as they are at the range's base.
 */
export async function resolveScanSettings(mode: ScanMode, args: ScanArgs, io: Pick<CommandIO, 'cwd' | 'signal'>, at?: PolicyRange): Promise<ScanSettings> {
  const trees = scannedTrees(mode, args, io.cwd);
  const notes: string[] = [];
  const config = await chooseConfig(mode, args, io, trees, notes, at);
  let effective = config ? applyConfig(args, config, io.cwd) : { ...args };
  // --strict: a segscan:allow in the scanned content counts for nothing.
  if (args.strict) effective = { ...effective, inlineIgnores: false };
  const settings: ScanSettings = {
    args: effective,
    include: globsOf(config, 'include', args),
    exclude: globsOf(config, 'exclude', args),
    disabledRules: [...new Set([...(config?.disableRules ?? []), ...args.disableRule])],
    narrowing: config ? configNarrowing(config, effective, args) : [],
    notes: [...notes, ...(config?.ignored ?? [])],
  };
  if (config) {
    settings.config = config;
    effective.rules = [...new Set([...config.ruleDirectories, ...args.rules])];
  }
  const baseline = await chooseBaseline(effective, config, io, trees, settings.notes, at);
  if (baseline) settings.baseline = baseline;
  return settings;
}
