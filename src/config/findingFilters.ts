// Steps on a scan's findings before verification and reporting: the config's allowlist, then the
// baseline. Both drop findings by identity (fingerprint or path), never by line.
import { resolve } from 'node:path';
import picomatch from 'picomatch';
import { compareWithBaseline, describeStaleEntry } from '../baseline/apply.js';
import { readBaselineFile } from '../baseline/file.js';
import type { Baseline } from '../baseline/format.js';
import type { ScanArgs } from '../commands/scanOptions.js';
import type { Finding, ScanReport } from '../types.js';
import { displayName, type ScanConfig } from './load.js';
import type { ScanSettings } from './scanSettings.js';

export function applyAllowlist(findings: Finding[], config: ScanConfig | undefined): Finding[] {
  if (!config || (config.allowFingerprints.length === 0 && config.allowPaths.length === 0)) return findings;
  const fingerprints = new Set(config.allowFingerprints);
  const pathAllowed = config.allowPaths.length > 0 ? picomatch(config.allowPaths, { dot: true, basename: true }) : () => false;
  return findings.filter((f) => !fingerprints.has(f.fingerprint) && !pathAllowed(f.path));
}

/**
 * Stale entries mean "this secret is gone" only when the scan could have seen every entry:
 * a directory scan, or a history scan not narrowed by --range, --since or --branch. A staged
 * scan or a pull-request range sees a sliver of the repository, so it lists none.
 */
export function scanCoversBaseline(mode: ScanReport['mode'], args: object): boolean {
  const a = args as { range?: unknown; since?: unknown; branch?: unknown; rangeFromEnv?: unknown };
  if (mode === 'dir') return true;
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
export function applyFindingFilters(report: ScanReport, settings: ScanSettings): void {
  report.findings = applyAllowlist(report.findings, settings.config);
  if (!settings.baseline) return;
  const { fresh, stale } = compareWithBaseline(report.findings, settings.baseline);
  report.findings = fresh;
  if (scanCoversBaseline(report.mode, settings.args) && !report.incomplete) report.staleBaseline = stale.map(describeStaleEntry);
}
