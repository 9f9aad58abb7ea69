// The options every scanning command shares, as yargs sees them and as commands use them.
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';

export interface ScanArgs {
  format: string;
  output?: string;
  rules: string[];
  disableRule: string[];
  redact: boolean;
  /** `--redact=N`: hide N% of each secret; never shows more than plain --redact. */
  redactPercent?: number;
  exitCode: number;
  /** Skip (and list) files larger than this; unset: scan every file, big ones in windows. */
  maxFileSize?: string;
  include: string[];
  exclude: string[];
  followSymlinks: boolean;
  inlineIgnores: boolean;
  /** --known-keys FILE: a workspace's write-key hashes, from `segscan workspace sync`. */
  knownKeys?: string;
  quiet: boolean;
  verbose: boolean;
  color?: boolean;
  verify: boolean;
  verifyConcurrency: number;
  verifyTimeout: number;
  verifyEndpoint: string[];
  onlyVerified: boolean;
  failOn: 'any' | 'live';
  /** Verdicts that could not be decided count as not live (otherwise they count as live). */
  ignoreUnknown?: boolean;
  /** --config FILE, or false for --no-config (no config file at all). */
  config?: string | false;
  /** --baseline FILE: report only findings not in it; false for --no-baseline. */
  baseline?: string | false;
  /** Stop (marked incomplete) past this many bytes read; default none, for history a multiple of the object store. */
  maxScanBytes?: string;
  /** Stop (marked incomplete) after this many seconds. */
  maxScanTime?: number;
  /** --strict: read none of the scanned tree's config, baselines or segscan:allow comments. */
  strict?: boolean;
  /** Set by `segscan baseline`: write the findings as a baseline here instead of a report. */
  writeBaseline?: string;
}


/**
 * What `stdin` reads whole into memory at most (directory, history and staged scans stream bigger
 * files in windows); bigger input is skipped and listed.
 */
export const IN_MEMORY_LIMIT = 256 * 1024 * 1024;

/**
 * `--redact=VALUE`, before yargs sees it. A boolean option would read any value but "true" as
 * false, so `--redact=100` (gitleaks' spelling of "hide everything") would print raw keys. Here a
 * percentage becomes `--redact --redact-percent N` (gitleaks' meaning, capped at the default) and
 * anything else is a usage error: no value can ever show more than the default.
 */
export function normaliseRedactArguments(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const valued = /^--(no-)?redact=(.*)$/s.exec(token);
    if (!valued) {
      out.push(token);
      continue;
    }
    const [, negated, value = ''] = valued;
    if (negated || !/^(100|[1-9]?[0-9])$/.test(value)) {
      throw new UsageError('--redact takes no value, or a percentage of each secret to hide (--redact=100); to show secrets in full, pass --no-redact');
    }
    out.push('--redact', '--redact-percent', value);
  }
  return out;
}

export function withScanOptions<T>(y: Argv<T>) {
  return y
    .option('format', { alias: 'f', type: 'string', default: 'text', choices: ['text', 'json', 'sarif', 'github'], describe: 'Report format', group: 'Output:' })
    .option('output', { alias: 'o', type: 'string', describe: 'Write the report to FILE (atomically) instead of stdout', group: 'Output:' })
    .option('redact', { type: 'boolean', default: true, describe: 'Redact secrets in every output (--redact=N hides N% of each; --no-redact shows them)', group: 'Output:' })
    .option('redact-percent', { type: 'number', hidden: true })
    .option('exit-code', { type: 'number', default: 1, describe: 'Exit code when findings are reported', group: 'Output:' })
    .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress or summary on stderr; nothing on stdout when clean (text)', group: 'Output:' })
    .option('verbose', { alias: 'v', type: 'boolean', default: false, describe: 'Log what the scan does on stderr (secrets stay redacted)', group: 'Output:' })
    .option('color', { type: 'boolean', describe: 'Colour text output (default: when stdout is a terminal and NO_COLOR is unset)', group: 'Output:' })
    .option('rules', { type: 'string', array: true, default: [] as string[], describe: 'Extra rule directory (repeatable), used beside the built-in rules', group: 'Rules:' })
    .option('disable-rule', { type: 'string', array: true, default: [] as string[], describe: 'Rule id to turn off (repeatable)', group: 'Rules:' })
    .option('inline-ignores', { type: 'boolean', default: true, describe: 'Honour segscan:allow comments (--no-inline-ignores for policy scans)', group: 'Rules:' })
    .option('known-keys', { type: 'string', describe: "Known-keys file from segscan workspace sync: find your workspace's write keys anywhere", group: 'Rules:' })
    .option('max-file-size', { type: 'string', describe: 'Skip (and list) files or blobs larger than this (default: none; big files are scanned in windows)', group: 'Files:' })
    .option('include', { type: 'string', array: true, default: [] as string[], describe: 'Only scan paths matching GLOB (repeatable); an include naming .git or node_modules re-enables them', group: 'Files:' })
    .option('exclude', { type: 'string', array: true, default: [] as string[], describe: 'Skip paths matching GLOB (repeatable); .git/ and node_modules/ are skipped by default', group: 'Files:' })
    .option('max-scan-bytes', { type: 'string', describe: 'Stop after reading this much (the report says so); default: none, for history 256x the object store (at least 256MiB)', group: 'Files:' })
    .option('max-scan-time', { type: 'number', describe: 'Stop after this many seconds (the report says so)', group: 'Files:' })
    .option('follow-symlinks', { type: 'boolean', default: false, describe: 'Follow symlinks to files inside the scanned directory', group: 'Files:' })
    .option('verify', { type: 'boolean', default: false, describe: 'Check whether each finding is live (read-only requests to Segment)', group: 'Verification:' })
    .option('verify-concurrency', { type: 'number', default: 4, describe: 'Verification requests at once', group: 'Verification:' })
    .option('verify-timeout', { type: 'number', default: 10, describe: 'Seconds before one verification request gives up', group: 'Verification:' })
    .option('verify-endpoint', { type: 'string', array: true, default: [] as string[], describe: 'HOST=BASE_URL: send requests meant for a Segment host elsewhere (tests, mirrors)', group: 'Verification:' })
    .option('only-verified', { type: 'boolean', default: false, describe: 'Report only findings verified live (implies --verify)', group: 'Verification:' })
    .option('fail-on', { type: 'string', default: 'any', choices: ['any', 'live'], describe: 'Which findings set the exit code (live: verified live, or not decidable)', group: 'Verification:' })
    .option('ignore-unknown', { type: 'boolean', default: false, describe: 'Count checks that could not decide as not live (for --fail-on live and --only-verified)', group: 'Verification:' })
    .option('config', { alias: 'c', type: 'string', describe: 'Config file (default: the nearest .segscan.yaml up to the repository root; --no-config for none)', group: 'Configuration:' })
    .option('baseline', { type: 'string', describe: 'Report only findings not in this baseline file, and list its stale entries', group: 'Configuration:' })
    .option('strict', { type: 'boolean', default: false, describe: "Policy scans of untrusted content: ignore the scanned tree's .segscan.yaml, baselines and segscan:allow comments", group: 'Configuration:' });
}
