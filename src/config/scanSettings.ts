// What a scan runs with: the command line, filled in from `.segscan.yaml`. Options typed on the
// command line win; lists (globs, rule ids, rule directories) from both are combined.
import { resolve } from 'node:path';
import type { CommandIO } from '../commands/io.js';
import type { ScanArgs } from '../commands/scanOptions.js';
import type { ScanMode } from '../types.js';
import type { Baseline } from '../baseline/format.js';
import { findConfigFile } from './discover.js';
import { loadBaselineFor } from './findingFilters.js';
import { optionGiven } from './explicitOptions.js';
import { displayName, loadConfigFile, type ScanConfig } from './load.js';

export interface ScanSettings {
  args: ScanArgs;
  /** The config file in use, if any. */
  config?: ScanConfig;
  /** The baseline to compare with (--baseline or the config's), read before scanning. */
  baseline?: Baseline;
}

/** Where the config search starts: the one path or repository named, else the working directory. */
export function configSearchStart(args: object, cwd: string): string {
  const { paths, repo } = args as { paths?: unknown; repo?: unknown };
  if (Array.isArray(paths) && paths.length === 1 && typeof paths[0] === 'string') return resolve(cwd, paths[0]);
  if (typeof repo === 'string') return resolve(cwd, repo);
  return cwd;
}

const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])];

/** The effective arguments: `args` with every option the user did not type taken from `config`. */
export function applyConfig(args: ScanArgs, config: ScanConfig, cwd: string): ScanArgs {
  const out: ScanArgs = {
    ...args,
    include: union(config.include, args.include),
    exclude: union(config.exclude, args.exclude),
    disableRule: union(config.disableRules, args.disableRule),
    rules: union(config.ruleDirectories, args.rules),
  };
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
  if (args.baseline === undefined && config.baseline !== undefined) out.baseline = config.baseline;
  return out;
}

/** Find (or take from --config) the config file and apply it; --no-config skips both. */
export function resolveScanSettings(mode: ScanMode, args: ScanArgs, io: Pick<CommandIO, 'cwd'>): ScanSettings {
  const file =
    args.config === false
      ? undefined
      : args.config !== undefined && args.config !== ''
        ? resolve(io.cwd, args.config)
        : findConfigFile(configSearchStart(mode === 'stdin' ? {} : args, io.cwd));
  const config = file === undefined ? undefined : loadConfigFile(file, io.cwd);
  const effective = config ? applyConfig(args, config, io.cwd) : args;
  const settings: ScanSettings = { args: effective };
  if (config) settings.config = config;
  const baseline = loadBaselineFor(effective, io.cwd);
  if (baseline) settings.baseline = baseline;
  return settings;
}
