// Steps on a scan's findings before verification and reporting: the config's allowlist, then the
// baseline. Neither drops a finding: each marks it suppressed (SARIF's `external` kind, with the
// justification), and reports show suppressed findings apart, so a narrowing never goes unseen.
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { compareWithBaseline, describeStaleEntry } from '../baseline/apply.js';
import { globMatcher } from '../globs.js';
import type { Finding, ScanReport, Suppression } from '../types.js';
import type { ScanConfig } from './load.js';
import type { ScanSettings } from './scanSettings.js';

function allowlistSuppression(config: ScanConfig | undefined): (f: Finding) => Suppression | undefined {
  if (!config || (config.allowFingerprints.length === 0 && config.allowPaths.length === 0)) return () => undefined;
  const fingerprints = new Set(config.allowFingerprints);
  const pathAllowed = globMatcher(config.allowPaths);
  const suppression = (setting: string): Suppression => ({ kind: 'external', by: 'allowlist', origin: config.origin, justification: `${setting} in ${config.name}` });
  return (f) => (fingerprints.has(f.fingerprint) ? suppression('allowlist.fingerprints') : pathAllowed(f.path) ? suppression('allowlist.paths') : undefined);
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

/**
 * Move every suppressed finding (segscan:allow, the allowlist, the baseline) from `findings` to
 * `suppressed`; lists stale baseline entries when meaningful.
 */
export function applyFindingFilters(report: ScanReport, settings: ScanSettings, cwd: string): void {
  const allowed = allowlistSuppression(settings.config);
  const candidates: Finding[] = [];
  const suppressed: Finding[] = [...(report.suppressed ?? [])];
  for (const f of report.findings) {
    const suppression = f.suppression ?? allowed(f);
    if (suppression) suppressed.push({ ...f, suppression });
    else candidates.push(f);
  }
  report.findings = candidates;
  const loaded = settings.baseline;
  if (loaded) {
    const { fresh, accepted, stale } = compareWithBaseline(candidates, loaded.baseline);
    report.findings = fresh;
    const suppression: Suppression = { kind: 'external', by: 'baseline', origin: loaded.origin, justification: `in baseline ${loaded.name}` };
    suppressed.push(...accepted.map((f) => ({ ...f, suppression })));
    if (scanCoversBaseline(report.mode, settings.args, cwd) && !report.incomplete) report.staleBaseline = stale.map(describeStaleEntry);
  }
  if (suppressed.length > 0) report.suppressed = suppressed;
}
