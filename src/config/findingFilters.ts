// Steps on a scan's findings before verification and reporting: the config's allowlist, then the
// baseline. Both drop findings by identity (fingerprint or path), never by line.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareWithBaseline, describeStaleEntry } from '../baseline/apply.js';
import { readBaselineFile } from '../baseline/file.js';
import type { Baseline } from '../baseline/format.js';
import type { ScanArgs } from '../commands/scanOptions.js';
import { globMatcher } from '../globs.js';
import type { Finding, ScanReport } from '../types.js';
import { displayName, type ScanConfig } from './load.js';
import type { ScanSettings } from './scanSettings.js';

export function applyAllowlist(findings: Finding[], config: ScanConfig | undefined): Finding[] {
  if (!config || (config.allowFingerprints.length === 0 && config.allowPaths.length === 0)) return findings;
  const fingerprints = new Set(config.allowFingerprints);
  const pathAllowed = globMatcher(config.allowPaths);
  return findings.filter((f) => !fingerprints.has(f.fingerprint) && !pathAllowed(f.path));
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Stale entries mean "this secret is gone" only when the scan could have seen every entry:
 * a scan of one directory, or a history scan not narrowed by --range, --since or --branch. A staged
 * scan or a pull-request range sees a sliver of the repository, so it lists none.
 */
export function scanCoversBaseline(mode: ScanReport['mode'], args: object, cwd: string): boolean {
  const a = args as { range?: unknown; since?: unknown; branch?: unknown; rangeFromEnv?: unknown; paths?: unknown };
  if (mode === 'dir') {
    const paths = Array.isArray(a.paths) && a.paths.length > 0 ? a.paths : ['.'];
    return paths.length === 1 && isDirectory(resolve(cwd, String(paths[0])));
  }
  if (mode !== 'git') return false;
  return !a.range && !a.since && !a.rangeFromEnv && !(Array.isArray(a.branch) && a.branch.length > 0);
}

/** The --baseline file, read before the scan so a broken one fails fast; none when writing one. */
export function loadBaselineFor(args: ScanArgs, cwd: string): Baseline | undefined {
  if (args.writeBaseline !== undefined || typeof args.baseline !== 'string' || args.baseline === '') return undefined;
  const path = resolve(cwd, args.baseline);
  return readBaselineFile(path, displayName(path, cwd));
}

/** Apply the allowlist and the baseline to `report.findings`; lists stale entries when meaningful. */
export function applyFindingFilters(report: ScanReport, settings: ScanSettings, cwd: string): void {
  report.findings = applyAllowlist(report.findings, settings.config);
  if (!settings.baseline) return;
  const { fresh, stale } = compareWithBaseline(report.findings, settings.baseline);
  report.findings = fresh;
  if (scanCoversBaseline(report.mode, settings.args, cwd) && !report.incomplete) report.staleBaseline = stale.map(describeStaleEntry);
}
