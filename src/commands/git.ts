import { resolve } from 'node:path';
import { describeRepository } from '../sources/gitRepository.js';
import { runGit as runGitCommand } from '../sources/gitCommand.js';
import { gitHistorySource } from '../sources/gitHistory.js';
import { withCommitDetails } from '../sources/gitCommitDetails.js';
import type { Finding } from '../types.js';
import { pushRangeFromEnv } from '../config/pushRange.js';
import { ScanFailedError, UnknownRevisionError } from '../errors.js';
import { checkSinceDate, explainUnknownRevision } from '../sources/gitRevisions.js';
import type { CommandIO, CommandResult } from './io.js';
import { runScanCommand } from './scanCommand.js';
import type { ScanArgs } from './scanOptions.js';
import { repositoryFacts } from './repositoryFacts.js';

export interface GitArgs extends ScanArgs {
  repo: string;
  branch: string[];
  since?: string;
  range?: string;
  /** pre-push hooks: take the range from PRE_COMMIT_FROM_REF/PRE_COMMIT_TO_REF. */
  rangeFromEnv?: boolean;
}

export async function runGit(args: GitArgs, io: CommandIO): Promise<CommandResult> {
  const range = args.range ?? (args.rangeFromEnv ? pushRangeFromEnv(io.env) : undefined);
  if (args.since !== undefined) await checkSinceDate(resolve(io.cwd, args.repo), args.since, io.signal);
  try {
    return await scanHistory(args, range, io);
  } catch (error) {
    // git refuses an unknown revision before it walks anything, so the report of what was scanned
    // is empty: one line naming the option replaces it.
    // The range's base policy is read before the walk starts: its failure comes unwrapped.
    const failure = error instanceof ScanFailedError ? error.failure : error;
    if (failure instanceof UnknownRevisionError) {
      const rangeOption = args.range !== undefined ? '--range' : 'PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF (--range-from-env)';
      throw await explainUnknownRevision(failure, { branches: args.branch, ...(range !== undefined ? { range } : {}), rangeOption }, io.signal);
    }
    throw error;
  }
}

function scanHistory(args: GitArgs, range: string | undefined, io: CommandIO): Promise<CommandResult> {
  return runScanCommand('git', args, io, async ({ filter, maxFileSize, isClean }) => {
    // git finds the repository from any directory in it, so the walk starts at once and the
    // repository is described beside it (its facts only go into the report).
    const path = resolve(io.cwd, args.repo);
    const settledFacts = describeRepository(path, io.signal).then((repo) => {
      const warnings: string[] = [];
      if (repo.shallow) warnings.push('shallow clone: only the history present locally was scanned; fetch the full history (git fetch --unshallow) for a complete scan');
      if (repo.empty) warnings.push('the repository has no commits yet; nothing to scan');
      return { root: repo.root, repository: repositoryFacts(repo), warnings };
    });
    const source = gitHistorySource({
      repo: path,
      ...(args.branch.length > 0 ? { branches: args.branch } : {}),
      ...(args.since ? { since: args.since } : {}),
      ...(range ? { range } : {}),
      maxFileSize,
      includePath: filter,
      isClean,
    });
    const stats = () => ({ commitsScanned: source.stats.commits, blobsScanned: source.stats.blobs });
    const completeFindings = (findings: Finding[]) => withCommitDetails(path, findings, io.signal);
    return { root: path, source, dedupeHistory: true, stats, settledFacts, completeFindings, defaultScanBytes: historyBudget(path, io.signal) };
  }, range === undefined ? undefined : { repo: resolve(io.cwd, args.repo), range });
}

/** A history may expand to this many times its object store before the scan stops: far above real repositories, far below a pack of deep delta chains. */
const EXPANSION_BUDGET = 256;
const MIN_HISTORY_BUDGET = 256 * 1024 * 1024;

/**
 * The bytes a history scan reads by default: 256 times the object store (packed and loose), at
 * least 256 MiB. A small pack of deep delta chains can expand to hundreds of times its size
 * (1 MB to 750 MB); real histories read 10-30 times theirs.
 */
async function historyBudget(repo: string, signal: AbortSignal | undefined): Promise<number | undefined> {
  const { stdout } = await runGitCommand(repo, ['count-objects', '-v'], { signal });
  const kib = (name: string) => Number(new RegExp(`^${name}: (\\d+)$`, 'm').exec(stdout)?.[1] ?? 0);
  return Math.max(MIN_HISTORY_BUDGET, EXPANSION_BUDGET * (kib('size') + kib('size-pack')) * 1024);
}
