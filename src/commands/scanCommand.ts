// The shared flow of dir, stdin, git and staged: rules -> engine -> source -> findings ->
// verification -> filters -> report -> exit code. Sources are chosen by the caller.
import { resolve } from 'node:path';
import { applyFindingFilters } from '../config/findingFilters.js';
import { resolveScanSettings, type PolicyRange } from '../config/scanSettings.js';
import type { EngineOptions } from '../engine/detect.js';
import { createScanEngine } from '../knownKeys/engine.js';
import { loadKnownKeys } from '../knownKeys/load.js';
import { holdsNoKeyword } from '../pool/scanItem.js';
import { createScanPool, defaultWorkerCount } from '../pool/scanPool.js';
import type { CompiledRule } from '../rules/compiledRule.js';
import { loadRules, type RuleSelection } from '../rules/load.js';
import { ScanAbortedError, rulesUsed, scanSource, type ScanBudget, type ScanContext } from '../scan.js';
import { formatBytes } from '../report/summary.js';
import { createPathFilter, type PathFilter } from '../sources/pathFilter.js';
import type { Finding, Narrowing, ScanReport, ScanStats, Source, VerifierKind } from '../types.js';
import { EXIT, ScanFailedError, SegscanError, UsageError } from '../errors.js';
import type { CommandIO, CommandResult } from './io.js';
import { writeFileAtomic } from './reportFile.js';
import type { ScanArgs } from './scanOptions.js';
import { startProgress } from './progress.js';
import { parseSize } from './sizes.js';
import { toolVersion } from './version.js';

export interface SourcePlan extends SourceFacts {
  source: Source;
  dedupeHistory?: boolean;
  /** Source-specific counters for the report, read after the scan (e.g. commits walked). */
  stats?: () => Partial<ScanStats>;
  /** Fills in what the walk left out of findings (a commit's author, date and subject). */
  completeFindings?: (findings: Finding[]) => Promise<Finding[]>;
  /** The byte budget when --max-scan-bytes is not given, once known (history: from the object store). */
  defaultScanBytes?: Promise<number | undefined>;
  /**
   * Facts still being gathered while the source is read (repository discovery runs beside the
   * history walk); they replace the ones above. A rejection fails the command with its reason.
   */
  settledFacts?: Promise<SourceFacts>;
}

export interface SourceFacts {
  root: string;
  repository?: ScanReport['repository'];
  /** Extra notes for the report (e.g. "shallow clone"). */
  warnings?: string[];
}

export interface SourceRequest {
  filter: PathFilter;
  maxFileSize: number;
  /** The engine's first look at raw bytes: true when they hold nothing to report (a source may then drop them). */
  isClean: (content: Uint8Array) => boolean;
}

export async function runScanCommand(
  mode: ScanReport['mode'],
  args: ScanArgs,
  io: CommandIO,
  plan: (request: SourceRequest) => Promise<SourcePlan>,
  policyRange?: PolicyRange,
): Promise<CommandResult> {
  // .segscan.yaml fills in what the command line left at its defaults; the baseline is read now so a broken one fails fast.
  const settings = await resolveScanSettings(mode, args, io, policyRange);
  args = settings.args;
  const selection: RuleSelection = { extraDirs: args.rules.map((d) => resolve(io.cwd, d)), disabled: settings.disabledRules };
  const engineOptions: EngineOptions = { inlineIgnores: args.inlineIgnores };
  const rules = loadRules(selection);
  const known = args.knownKeys === undefined ? undefined : loadKnownKeys(args.knownKeys, io.cwd);
  const engine = createScanEngine(rules, engineOptions, known?.index);
  const maxFileSize = args.maxFileSize === undefined ? Number.POSITIVE_INFINITY : parseSize(args.maxFileSize, '--max-file-size');
  const filter = createPathFilter({ include: settings.include, exclude: settings.exclude, skipNodeModules: mode === 'dir' });
  const { source, dedupeHistory, stats, settledFacts, completeFindings, defaultScanBytes, ...facts } = await plan({ filter, maxFileSize, isClean: (content) => holdsNoKeyword(engine, content) });
  settledFacts?.catch(() => {}); // awaited after the scan; a rejection then wins over the scan's own error
  const { root, repository } = facts;
  const log = (line: string) => {
    if (args.verbose) io.writeStderr(`segscan: ${line}\n`);
  };
  log(`${rules.length} rules loaded; scanning ${mode} at ${root}`);
  if (settings.config) log(`using config ${settings.config.name}`);
  if (known) log(`${known.keys} known write keys of workspace ${known.workspace} from ${args.knownKeys}`);

  const context: ScanContext = { mode, root, version: toolVersion(), dedupeHistory: dedupeHistory ?? false };
  if (repository) context.repository = repository;
  // Big tree and history scans use every core; a staged or stdin scan is too small to pay for workers.
  // A history scan leaves a core to the git processes that read the blobs at first, and the pool
  // takes it when its workers fall behind.
  const workers = defaultWorkerCount(mode === 'git' ? 1 : 0);
  if (mode === 'dir' || mode === 'git') context.pool = () => createScanPool({ rules: selection, engine: engineOptions, ...(known ? { knownKeys: known.index } : {}) }, maxFileSize, workers, defaultWorkerCount());
  if (io.signal) context.signal = io.signal;
  context.budget = scanBudget(args, defaultScanBytes);
  const showProgress = !args.quiet && (mode === 'dir' || mode === 'git');
  const progress = await startProgress(showProgress ? io.progressStream : undefined, mode === 'git' ? 'blobs' : 'files');
  context.onProgress = ({ files, bytes }) => progress.update(files, bytes);
  let report: ScanReport;
  let fatal: SegscanError | undefined;
  try {
    report = await scanSource(source, engine, context);
  } catch (error) {
    await settledFacts; // a repository that cannot be described explains the failure best
    if (!(error instanceof ScanAbortedError)) throw error;
    // A broken object or repository part way: keep what was found, then fail with exit 2.
    fatal = error.failure instanceof SegscanError ? error.failure : new SegscanError(`scan failed: ${error.message}`);
    report = partialReport(mode, root, engine.rules, error, context);
  } finally {
    progress.stop();
  }
  const { warnings = [], ...described } = settledFacts ? await settledFacts : facts;
  report.root = described.root;
  if (described.repository) report.repository = described.repository;
  report.warnings.unshift(...settings.notes, ...warnings);
  const narrowing = [...settings.narrowing, ...filter.narrowing(), ...defaultExcludes(report)];
  if (narrowing.length > 0) report.narrowing = narrowing;
  checkSkipsThatCouldHide(report, args);
  if (stats) Object.assign(report.stats, stats());
  if (completeFindings) {
    // A report without commit details still beats no report: say what is missing instead.
    try {
      report.findings = await completeFindings(report.findings);
    } catch (error) {
      const reason = io.signal?.aborted ? 'the scan was interrupted' : error instanceof Error ? error.message : String(error);
      report.warnings.push(`commit authors, dates and subjects are missing from this report: ${reason}`);
    }
  }
  applyFindingFilters(report, settings, io.cwd);
  if (args.writeBaseline !== undefined) return (await import('./baseline.js')).writeBaselineResult(report, args, io, fatal);

  // --only-verified and --fail-on live mean nothing without verification, so they imply it.
  if (args.verify || args.onlyVerified || args.failOn === 'live') {
    await verify(report, engine.rules, args, io);
    const undecided = unknownVerdicts(report.findings, args);
    if (undecided) {
      report.warnings.push(undecided);
      log(undecided);
    }
  }
  // Interrupted while checking: the findings stand, but not every verdict is in.
  if (io.signal?.aborted && !report.incomplete) Object.assign(report, { incomplete: true, incompleteReason: 'interrupted' });
  if (args.onlyVerified) report.findings = report.findings.filter((f) => countsAsLive(f, args));
  report.rules = rulesUsed(engine, report.findings);
  log(`${report.stats.filesScanned} ${mode === 'git' ? 'blobs' : 'files'} scanned, ${report.findings.length} findings`);

  const { getReporter } = await import('../report/index.js');
  const color = args.color ?? (io.stdoutIsTTY && !args.output && io.env.NO_COLOR === undefined);
  const rendered = getReporter(args.format as Parameters<typeof getReporter>[0])(report, {
    redact: args.redact,
    color,
    ...(args.redactPercent !== undefined ? { redactPercent: args.redactPercent } : {}),
  });
  let stdout = '';
  let stderr = '';
  if (args.output) {
    const scannedTrees = [report.root, ...(report.repository ? [report.repository.root] : [])];
    await writeFileAtomic(resolve(io.cwd, args.output), rendered, { scannedTrees, holdsSecrets: !args.redact });
    if (!args.quiet) stderr += `segscan: ${report.findings.length} finding(s); report written to ${args.output}\n`;
  } else if (!(report.findings.length === 0 && args.format === 'text' && (args.quiet || mode === 'staged'))) {
    // A pre-commit hook is silent when the commit is clean.
    stdout = rendered;
  }
  if (fatal) throw new ScanFailedError(fatal, { stdout, stderr });
  return { exitCode: exitCodeFor(report.findings, args, report.incomplete), stdout, stderr };
}

/** --max-scan-bytes and --max-scan-time, or the source's own default (filled in when it is known). */
function scanBudget(args: ScanArgs, defaultBytes: Promise<number | undefined> | undefined): ScanBudget {
  const budget: ScanBudget = {
    describe: (limit) =>
      limit === 'time'
        ? `stopped after ${args.maxScanTime} s (--max-scan-time)`
        : `stopped after reading ${formatBytes(budget.bytes ?? 0)} (${args.maxScanBytes === undefined ? 'the default budget of a history scan: 256 times its object store' : '--max-scan-bytes'}); raise --max-scan-bytes to scan everything`,
  };
  if (args.maxScanTime !== undefined) {
    if (!(args.maxScanTime > 0)) throw new UsageError('--max-scan-time must be a positive number of seconds');
    budget.milliseconds = args.maxScanTime * 1000;
  }
  if (args.maxScanBytes !== undefined) budget.bytes = parseSize(args.maxScanBytes, '--max-scan-bytes');
  else void defaultBytes?.then((bytes) => {
    if (bytes !== undefined) budget.bytes = bytes;
  }, () => undefined);
  return budget;
}

/** The node_modules/ directories a directory scan left out by default, counted. */
function defaultExcludes(report: ScanReport): Narrowing[] {
  const count = report.skipped.filter((s) => s.reason === 'excluded').length;
  return count === 0 ? [] : [{ origin: 'default', setting: 'node_modules', value: 'node_modules/', source: 'default', count }];
}

/**
 * A file skipped as too large that holds Segment keywords could hide a key: the report says so,
 * and a --strict scan fails on it (exit 2), since nobody looked at what it holds.
 */
function checkSkipsThatCouldHide(report: ScanReport, args: ScanArgs): void {
  const hiding = report.skipped.filter((s) => s.holdsKeywords);
  if (hiding.length === 0) return;
  const names = hiding.slice(0, 5).map((s) => s.path).join(', ');
  const more = hiding.length > 5 ? ` and ${hiding.length - 5} more` : '';
  report.warnings.push(`${hiding.length} file${hiding.length === 1 ? '' : 's'} skipped as too large hold${hiding.length === 1 ? 's' : ''} Segment keywords and could hide a key: ${names}${more}; raise or drop --max-file-size to scan ${hiding.length === 1 ? 'it' : 'them'}`);
  if (args.strict && !report.incomplete) {
    report.incomplete = true;
    report.incompleteReason = `strict: ${hiding.length} skipped file${hiding.length === 1 ? '' : 's'} could hide a key`;
  }
}

/**
 * Fail closed: a check that could not decide (Segment unreachable, a timeout, an answer segscan
 * does not know) says nothing about the key, so it counts as live unless --ignore-unknown.
 */
function countsAsLive(f: Finding, args: ScanArgs): boolean {
  const status = f.verification?.status;
  return status === 'live' || (status === 'unknown' && !args.ignoreUnknown);
}

/** The report's warning when some checks could not decide, with what that means for the result. */
function unknownVerdicts(findings: readonly Finding[], args: ScanArgs): string | undefined {
  const checked = findings.filter((f) => f.verification !== undefined);
  const undecided = checked.filter((f) => f.verification?.status === 'unknown');
  if (undecided.length === 0) return undefined;
  const reasons = [...new Set(undecided.map((f) => f.verification?.reason ?? ''))];
  const example = `${reasons[0] ?? ''}${reasons.length > 1 ? ` (and ${reasons.length - 1} other reason${reasons.length > 2 ? 's' : ''})` : ''}`;
  const effect = args.ignoreUnknown
    ? 'they count as not live (--ignore-unknown)'
    : 'they count as live for --fail-on live and --only-verified (--ignore-unknown to count them as not live)';
  return `${undecided.length} of ${checked.length} liveness checks could not decide: ${example}; ${effect}`;
}

function exitCodeFor(findings: readonly Finding[], args: ScanArgs, incomplete: boolean): number {
  const counted = args.failOn === 'live' ? findings.filter((f) => countsAsLive(f, args)) : findings;
  if (counted.length > 0) return args.exitCode;
  return incomplete ? EXIT.error : EXIT.clean;
}

function partialReport(mode: ScanReport['mode'], root: string, rules: readonly CompiledRule[], error: ScanAbortedError, context: ScanContext): ScanReport {
  const { findings, skipped, warnings, filesScanned, bytesScanned } = error.partial;
  const report: ScanReport = {
    tool: { name: 'segscan', version: context.version },
    mode,
    root,
    findings,
    rules: rules.map((r) => r.info).filter((r) => findings.some((f) => f.ruleId === r.id)),
    skipped,
    warnings,
    stats: { filesScanned, bytesScanned, skipped: skipped.length, durationMs: 0 },
    incomplete: true,
    incompleteReason: error.message,
  };
  if (context.repository) report.repository = context.repository;
  return report;
}

async function verify(report: ScanReport, rules: readonly CompiledRule[], args: ScanArgs, io: CommandIO): Promise<void> {
  const { createVerificationService, verifyFindings } = await import('../verify/verifier.js');
  const { parseEndpointOverrides, endpointOverrideWarning } = await import('../verify/http.js');
  const endpoints = parseEndpointOverrides(args.verifyEndpoint);
  const warning = endpointOverrideWarning(endpoints);
  if (warning) io.writeStderr(`segscan: warning: ${warning}\n`);
  const deps: Parameters<typeof createVerificationService>[1] = { env: io.env };
  if (io.fetch) deps.fetch = io.fetch;
  const service = createVerificationService(
    { concurrency: args.verifyConcurrency, timeoutMs: args.verifyTimeout * 1000, endpoints, blastRadius: true },
    deps,
  );
  const kinds = new Map<string, VerifierKind>(rules.map((r) => [r.info.id, r.info.verify]));
  try {
    await verifyFindings(report.findings, (f) => kinds.get(f.ruleId) ?? 'none', service, io.signal);
  } finally {
    await service.close();
  }
}
