// `segscan baseline dir|git|staged ...`: run the scan and record its findings as a baseline
// instead of reporting them. The scan commands do the work; runScanCommand hands the findings
// to writeBaselineResult when `writeBaseline` is set.
import { resolve } from 'node:path';
import { baselineFromFindings } from '../baseline/format.js';
import { writeBaselineFile } from '../baseline/file.js';
import { withDefaultedOptionsOf } from '../config/explicitOptions.js';
import { displayName } from '../config/load.js';
import { EXIT, ScanFailedError, type SegscanError } from '../errors.js';
import type { ScanReport } from '../types.js';
import type { CommandIO, CommandResult } from './io.js';
import type { ScanArgs } from './scanOptions.js';

export const DEFAULT_BASELINE_FILE = '.segscan-baseline.json';

export type BaselineScan = 'dir' | 'git' | 'staged';

/** `segscan baseline <scan> [--output FILE]`: `--output` names the baseline file. */
export async function runBaseline(scan: BaselineScan, args: ScanArgs, io: CommandIO): Promise<CommandResult> {
  const { output, ...rest } = args;
  const scanArgs: ScanArgs = withDefaultedOptionsOf(args, { ...rest, writeBaseline: output ?? DEFAULT_BASELINE_FILE });
  switch (scan) {
    case 'dir':
      return (await import('./dir.js')).runDir(scanArgs as ScanArgs & { paths: string[] }, io);
    case 'git':
      return (await import('./git.js')).runGit(scanArgs as never, io);
    case 'staged':
      return (await import('./staged.js')).runStaged(scanArgs as never, io);
  }
}

/** Write the scan's findings as the baseline; an unfinished scan writes nothing. */
export async function writeBaselineResult(report: ScanReport, args: ScanArgs, io: CommandIO, fatal?: SegscanError): Promise<CommandResult> {
  const target = resolve(io.cwd, args.writeBaseline ?? DEFAULT_BASELINE_FILE);
  const name = displayName(target, io.cwd);
  if (fatal) throw new ScanFailedError(fatal, { stdout: '', stderr: `segscan: the scan failed part way; ${name} was not written\n` });
  if (report.incomplete) {
    const why = report.incompleteReason ?? 'incomplete';
    return { exitCode: EXIT.error, stdout: '', stderr: `segscan: scan ${why}; ${name} was not written\n` };
  }
  const baseline = baselineFromFindings(report.findings);
  await writeBaselineFile(target, baseline);
  const n = baseline.entries.length;
  const stderr = args.quiet ? '' : `segscan: ${n} baseline entr${n === 1 ? 'y' : 'ies'} (from ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'}) written to ${name}\n`;
  return { exitCode: EXIT.clean, stdout: '', stderr };
}
