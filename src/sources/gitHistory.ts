// The git history source: every blob reachable in the selected history, read once, attributed to
// the first (commit, path) that introduced it; when all refs are scanned, also the blobs that refs
// reach without a commit (tagged blobs and trees: gitRefObjects.ts). `git log --raw` names the
// blobs (no textual diffs), and one `git cat-file --batch-command` sizes them and streams the ones
// worth reading (with git before 2.36: `cat-file --batch-check` and `cat-file --batch`).
// Bounded read-ahead keeps memory flat however long the history is; only the set
// of seen blob ids grows, at ~30 bytes per blob.

import type { CommitInfo, FragmentOrigin, Source, SourceItem, SkippedItem } from '../types.js';
import { InputError, UsageError } from '../errors.js';
import { CatFileFormatError, CatFileParser, type CatFileAnswer } from './gitCatFileParser.js';
import { runGit, spawnGit, streamGit, type GitProcess } from './gitCommand.js';
import { LogFormatError, RawLogParser, logArguments, type CommitChanges, type TreeChange } from './gitLog.js';
import { ObjectIdSet } from './gitObjectIdSet.js';
import { GITLINK_MODE, SYMLINK_MODE, isNullId } from './gitRawDiff.js';
import { refObjects, revisionObjects } from './gitRefObjects.js';
import { ownsItsMemory } from '../pool/scanPool.js';
import { WHOLE_CONTENT_BYTES } from '../pool/windowedScan.js';

export interface GitHistoryOptions {
  repo: string;
  /** Limit the walk to these branches (or any revisions); default: all refs. */
  branches?: readonly string[];
  /** Only commits newer than this (anything `git log --since` accepts). */
  since?: string;
  /** `A..B`: only what B adds over A. */
  range?: string;
  maxFileSize: number;
  includePath?: (path: string) => boolean;
  /**
   * The engine's first look (scanItem.ts: holdsNoKeyword): true for content with nothing to
   * report. Such blobs are counted in `clean` items (one per run of them), looked at as git's
   * output arrives, so the chunks of that output are let go at once instead of waiting in the
   * read-ahead for the scanner. In a history nearly every blob is clean (98% in the benchmark's).
   * Without it every blob is yielded with its content.
   */
  isClean?: (content: Uint8Array) => boolean;
  /**
   * How blobs are sized and read: `auto` uses one `cat-file --batch-command` where git has it (2.36
   * and later), `two-processes` always uses `--batch-check` and `--batch` (what older git gets).
   */
  catFile?: 'auto' | 'two-processes';
}

export interface GitHistoryStats {
  /** Commits walked. */
  commits: number;
  /** Blobs yielded for scanning (as raw content, or as clean), tagged ones included. */
  blobs: number;
  /** Oversized blobs, symlinks and gitlinks yielded as skipped items (binary content is skipped by the scanner). */
  skipped: number;
}

export interface GitHistorySource extends Source {
  /** Counters of the current (or last) iteration, updated as items are yielded. */
  readonly stats: GitHistoryStats;
}

/**
 * Blobs found in the log but not yet taken by the consumer; past this the log is paused. Still a
 * thousand requests queued for cat-file, which is what the walk waits for anyway; each pending blob
 * is a few objects that outlive a young-generation GC, and with 4,096 of them V8 grew its young
 * generation on longer histories (peak RSS 97 MB on the benchmark's history, 126 MB on the doubled
 * one; with 1,024: 88 and 93 MB, and 4-10% less CPU).
 */
const MAX_INTRODUCED = 1024;
/** Blob content read ahead of the consumer; past this git's content output is paused. */
const READ_AHEAD_BYTES = 32 * 1024 * 1024;

export function gitHistorySource(options: GitHistoryOptions): GitHistorySource {
  const revisions = revisionArguments(options);
  // Blobs and trees that refs name have no date: a walk since a date or of a range leaves them out.
  const branches = options.branches ?? [];
  const extraObjects: ExtraObjects = options.since !== undefined || options.range !== undefined
    ? () => Promise.resolve([])
    : branches.length > 0
      ? (include, signal) => revisionObjects(options.repo, branches, include, signal)
      : (include, signal) => refObjects(options.repo, include, signal);
  const stats: GitHistoryStats = { commits: 0, blobs: 0, skipped: 0 };
  return {
    stats,
    items: (signal) => {
      Object.assign(stats, { commits: 0, blobs: 0, skipped: 0 });
      return new HistoryPipeline(options, revisions, extraObjects, stats, signal).items();
    },
  };
}

/** Check user-supplied revisions up front: a value starting with `-` would be read as an option. */
export function revisionArguments(options: Pick<GitHistoryOptions, 'branches' | 'since' | 'range'>): string[] {
  const branches = options.branches ?? [];
  if (options.range !== undefined && branches.length > 0) throw new UsageError('--range cannot be combined with --branch');
  for (const revision of [...branches, ...(options.range === undefined ? [] : [options.range])]) {
    if (revision === '' || revision.startsWith('-') || /[\0\n]/.test(revision)) throw new UsageError(`not a revision: '${revision}'`);
  }
  if (options.range !== undefined && !options.range.includes('..')) throw new UsageError(`--range must look like A..B, got '${options.range}'`);
  const selected = options.range !== undefined ? [options.range] : branches.length > 0 ? [...branches] : [];
  const since = options.since === undefined ? [] : [`--since=${options.since}`];
  return selected.length > 0 ? [...since, '--end-of-options', ...selected] : [...since, '--all'];
}

/** Path filter answers remembered per history walk; past this many paths the memory is cleared. */
const MAX_REMEMBERED_PATHS = 65536;

/**
 * The caller's path filter, remembering its answers: a history names the same few paths in many
 * commits (598 paths in the benchmark's 11,845 changes), and glob matching is the costliest step
 * per change. Bounded, so a history of millions of distinct paths stays within memory.
 */
function rememberingPathFilter(includePath: ((path: string) => boolean) | undefined): ((path: string) => boolean) | undefined {
  if (!includePath) return undefined;
  const answers = new Map<string, boolean>();
  return (path) => {
    let included = answers.get(path);
    if (included === undefined) {
      if (answers.size >= MAX_REMEMBERED_PATHS) answers.clear();
      answers.set(path, (included = includePath(path)));
    }
    return included;
  };
}

/** True the first time a blob (or gitlink) id shows up at a path the caller wants scanned. */
function isIntroduction(change: TreeChange, includePath: ((path: string) => boolean) | undefined, seen: ObjectIdSet): boolean {
  if (isNullId(change.id)) return false; // deletion
  // A blob first seen at an excluded path may still be introduced later at an included one.
  if (includePath && !includePath(change.path)) return false;
  return seen.add(change.id);
}

/** Blobs that the selected refs reach without a commit (gitRefObjects.ts), read after the walk. */
type ExtraObjects = (includePath: ((path: string) => boolean) | undefined, signal: AbortSignal | undefined) => Promise<TreeChange[]>;

/** One blob introduction in history order; `result` is set once git has answered for it. */
interface Introduction {
  change: TreeChange;
  /** Absent for a blob that a ref reaches without a commit. */
  commit?: CommitInfo;
  /** What the consumer gets; `missing` is decided on delivery (partial clone or corruption). */
  result?: SourceItem | 'missing';
}

/** The cat-file side of the pipeline: who answers sizes, who answers contents, and their parsers. */
interface CatFileStage {
  /** One process with `--batch-command`, else `--batch-check` then `--batch`. */
  processes: Array<{ git: GitProcess; parser: CatFileParser; waiting: () => number }>;
  sizes: GitProcess;
  contents: GitProcess;
  /** `--batch-command`: requests are `info <id>` / `contents <id>` lines, each write ends with `flush`. */
  commands: boolean;
}

/**
 * git processes in a pipeline, all parsed synchronously as their output arrives: `git log` names
 * blobs, cat-file sizes them and reads those within the size limit. Requests are written once per
 * chunk of the previous stage's output, so git never waits for a round trip per blob. Answers come
 * back in request order, so FIFOs match them up, and the consumer takes blobs in introduction
 * order. Memory stays flat: the log is paused while too many blobs are introduced and not yet
 * taken, and git's content output while too many bytes wait.
 *
 * With `--batch-command --buffer` git writes its answers in blocks, flushed at the end of each
 * batch of requests (a `flush` command), instead of three writes per blob; one process fewer
 * also competes for the cores with the log and the scan.
 */
class HistoryPipeline {
  private readonly log: GitProcess;
  private readonly logParser: RawLogParser;
  /**
   * Set once git's version is known; requests wait for it. `cat-file --batch-command` is started
   * beside the version check (git before 2.36 rejects the option at once, unasked), so with a
   * recent git nothing waits for a process to start.
   */
  private catFile: CatFileStage | undefined;
  private readonly batchCommand: GitProcess | undefined;
  private readonly catFileStarted: Promise<void>;
  private readonly seen = new ObjectIdSet();
  private readonly includePath: ((path: string) => boolean) | undefined;
  /** Every introduction not yet taken, in history order. */
  private readonly introduced = new Fifo<Introduction>();
  private readonly awaitingSize = new Fifo<Introduction>();
  private readonly awaitingContent = new Fifo<Introduction>();
  /** With `--batch-command`: whether the answers due next carry content, as runs in request order. */
  private readonly answersDue = new Fifo<{ content: boolean; count: number }>();
  private sizeRequests: string[] = [];
  private contentRequests: string[] = [];
  private readyBytes = 0;
  private logDone = false;
  /** Each cat-file's input is closed once nothing more can be asked of it. */
  private inputs: 'open' | 'sizes ended' | 'ended' = 'open';
  private failure: unknown;
  private wake: (() => void) | undefined;
  private partialClone: Promise<boolean> | undefined;
  /** In a partial clone, the objects present locally; undefined in a complete repository. */
  private present: ObjectIdSet | undefined;
  /** Blobs of tagged blobs and trees, listed beside the walk and introduced after its commits. */
  private readonly refObjects: Promise<TreeChange[]>;

  constructor(
    private readonly options: GitHistoryOptions,
    revisions: readonly string[],
    extraObjects: ExtraObjects,
    private readonly stats: GitHistoryStats,
    private readonly signal: AbortSignal | undefined,
  ) {
    const repo = options.repo;
    this.includePath = rememberingPathFilter(options.includePath);
    this.logParser = new RawLogParser((commit) => this.onCommit(commit));
    this.log = spawnGit(repo, logArguments(revisions), { signal, bufferOutput: true });
    if (options.catFile !== 'two-processes') this.batchCommand = spawnGit(repo, ['cat-file', '--batch-command', '--buffer'], { signal, input: true });
    const available = this.batchCommand ? hasBatchCommand(repo) : Promise.resolve(false);
    // Asked beside the version check, which cat-file waits for anyway: no scan waits longer.
    const present = presentObjectsOfPartialClone(repo, signal);
    this.catFileStarted = Promise.all([available, present]).then(([commands, objects]) => this.step(() => {
      if (objects) this.keepPresent(objects);
      this.startCatFile(commands);
    }));
    this.refObjects = extraObjects(this.includePath, signal);
    this.refObjects.catch(() => {}); // taken once the log has ended

    this.log.stdout.on('data', (chunk: Buffer) => this.step(() => {
      this.logParser.push(chunk);
      if (this.introduced.length >= MAX_INTRODUCED) this.log.stdout.pause();
    }));
    this.log.stdout.on('end', () => this.step(() => this.logParser.end()));
    this.log.exited.then(() => this.refObjects).then((objects) => this.step(() => {
      for (const object of objects) if (this.seen.add(object.id)) this.introduce(object, undefined);
      this.logDone = true;
    }), (error: unknown) => this.fail(error));

  }

  private startCatFile(commands: boolean): void {
    const { repo } = this.options;
    const signal = this.signal;
    if (commands && this.batchCommand) {
      // --buffer is safe here: every write of requests ends with `flush`, so no answer the consumer
      // waits for stays in git's buffer while git waits for more requests.
      const git = this.batchCommand;
      const parser = new CatFileParser(() => this.dueAnswers().content, (answer) => this.onCommandAnswer(answer));
      const waiting = () => this.awaitingSize.length + this.awaitingContent.length;
      this.catFile = { processes: [{ git, parser, waiting }], sizes: git, contents: git, commands };
    } else {
      this.batchCommand?.kill(); // an older git: it has already stopped on the unknown option
      // No --buffer: each answer is flushed, so a blob the consumer waits for never sits in git's
      // output buffer while git waits for more requests (which could deadlock with the paused log).
      const sizes = spawnGit(repo, ['cat-file', '--batch-check'], { signal, input: true });
      const contents = spawnGit(repo, ['cat-file', '--batch'], { signal, input: true });
      this.catFile = {
        processes: [
          { git: sizes, parser: new CatFileParser(false, (answer) => this.onSize(answer)), waiting: () => this.awaitingSize.length },
          { git: contents, parser: new CatFileParser(true, (answer) => this.onContent(answer)), waiting: () => this.awaitingContent.length },
        ],
        sizes,
        contents,
        commands: false,
      };
    }
    for (const { git, parser, waiting } of this.catFile.processes) {
      git.stdout.on('data', (chunk: Buffer) => this.step(() => {
        parser.push(chunk);
        if (git === this.catFile?.contents && this.readyBytes >= READ_AHEAD_BYTES) git.stdout.pause();
      }));
      git.exited.then(() => {
        if (waiting() > 0 || parser.midAnswer) this.fail(new InputError(`git cat-file stopped answering in ${repo}`));
      }, (error: unknown) => this.fail(error));
    }
  }

  async *items(): AsyncGenerator<SourceItem, void, undefined> {
    // Clean blobs in a row go out as one item, handed over before waiting and before the next item.
    const clean = { kind: 'clean' as const, files: 0, bytes: 0 };
    const takeClean = (): SourceItem => {
      const run = { ...clean };
      clean.files = clean.bytes = 0;
      return run;
    };
    try {
      for (;;) {
        const next = this.introduced.peek();
        if (next?.result === undefined) {
          if (clean.files > 0) {
            yield takeClean();
            continue;
          }
          if (this.failure !== undefined) throw this.failure;
          if (!next && this.logDone) break;
          await new Promise<void>((resolve) => (this.wake = resolve));
          continue;
        }
        this.introduced.shift();
        if (next.result !== 'missing' && next.result.kind === 'clean') {
          this.stats.blobs++;
          clean.files++;
          clean.bytes += next.result.bytes;
          this.resumeIfDrained();
          continue;
        }
        if (clean.files > 0) yield takeClean();
        const item = next.result === 'missing' ? await this.missing(next) : next.result;
        if (item.kind === 'content') {
          this.stats.blobs++;
          this.readyBytes -= item.content.byteLength;
        } else if (item.kind === 'stream') {
          this.stats.blobs++;
        } else {
          this.stats.skipped++;
        }
        this.resumeIfDrained();
        yield item;
      }
      await this.catFileStarted;
      await Promise.all(this.catFile?.processes.map(({ git }) => git.exited) ?? []);
      if (this.failure !== undefined) throw this.failure;
    } finally {
      this.killAll();
    }
  }

  private killAll(): void {
    this.log.kill();
    this.batchCommand?.kill();
    for (const { git } of this.catFile?.processes ?? []) git.kill();
  }

  /** Run a parsing step; a malformed answer or a write failure stops the pipeline. */
  private step(parse: () => void): void {
    if (this.failure !== undefined) return;
    try {
      parse();
      this.sendRequests();
    } catch (error) {
      this.fail(error);
    }
    this.notify();
  }

  private onCommit({ sha, changes }: CommitChanges): void {
    this.stats.commits++;
    // Only the id is known during the walk; the rest is filled in for commits with findings.
    const commit = unnamedCommit(sha);
    for (const change of changes) {
      if (isIntroduction(change, this.includePath, this.seen)) this.introduce(change, commit);
    }
  }

  private introduce(change: TreeChange, commit: CommitInfo | undefined): void {
    const introduction: Introduction = commit ? { change, commit } : { change };
    this.introduced.push(introduction);
    if (change.mode === GITLINK_MODE) introduction.result = skip(introduction, 'submodule', `submodule commit ${change.id}`);
    else if (change.mode === SYMLINK_MODE) introduction.result = skip(introduction, 'symlink', `symbolic link (blob ${change.id})`);
    else if (this.present && !this.present.has(change.id)) introduction.result = notInPartialClone(introduction);
    else {
      this.awaitingSize.push(introduction);
      this.sizeRequests.push(change.id);
    }
  }

  /**
   * A partial clone: from now on only blobs present here are asked for. git answers a request for
   * a missing one by fetching it from the promisor remote (a network call nobody asked for), or,
   * with fetching off, by dying; so blobs not present are listed as skipped instead, including
   * those queued before the answer came.
   */
  private keepPresent(objects: ObjectIdSet): void {
    this.present = objects;
    const queued: Introduction[] = [];
    while (this.awaitingSize.length > 0) queued.push(this.awaitingSize.shift() as Introduction);
    this.sizeRequests = [];
    for (const introduction of queued) {
      if (objects.has(introduction.change.id)) {
        this.awaitingSize.push(introduction);
        this.sizeRequests.push(introduction.change.id);
      } else {
        introduction.result = notInPartialClone(introduction);
      }
    }
  }

  /** `--batch-command`: the run of requests the answer being parsed belongs to. */
  private dueAnswers(): { content: boolean; count: number } {
    const due = this.answersDue.peek();
    if (!due) throw new CatFileFormatError('an answer to no request');
    return due;
  }

  private onCommandAnswer(answer: CatFileAnswer): void {
    const due = this.dueAnswers();
    if (--due.count === 0) this.answersDue.shift();
    if (due.content) this.onContent(answer);
    else this.onSize(answer);
  }

  private onSize(answer: CatFileAnswer): void {
    const introduction = this.answered(this.awaitingSize, answer);
    if (answer.kind === 'missing') {
      introduction.result = 'missing';
    } else if (answer.size > this.options.maxFileSize) {
      const detail = `blob ${answer.id} is ${answer.size} bytes, over the ${this.options.maxFileSize}-byte limit`;
      introduction.result = skip(introduction, 'too-large', detail, answer.size);
    } else if (answer.size > WHOLE_CONTENT_BYTES) {
      // Too big to hold in the read-ahead: streamed on its own when the scanner reaches it.
      const { repo } = this.options;
      const id = answer.id;
      introduction.result = {
        kind: 'stream',
        origin: originOf(introduction),
        size: answer.size,
        chunks: (signal) => streamGit(repo, ['cat-file', 'blob', id], { signal }),
      };
    } else {
      this.awaitingContent.push(introduction);
      this.contentRequests.push(answer.id);
    }
  }

  private onContent(answer: CatFileAnswer): void {
    const introduction = this.answered(this.awaitingContent, answer);
    if (answer.kind === 'missing' || answer.content === undefined) {
      introduction.result = 'missing';
      return;
    }
    if (this.options.isClean?.(answer.content)) {
      introduction.result = { kind: 'clean', files: 1, bytes: answer.content.byteLength };
      return;
    }
    const origin = originOf(introduction);
    // Raw bytes: the scanner sniffs the encoding, skips binary content and checks for keywords
    // before it pays for decoding. A view into git's output would keep the whole chunk (64 KiB,
    // most of it clean blobs) alive until the scanner takes it, so content kept after a first look
    // is copied out; a blob that spanned chunks already has memory of its own.
    const content = this.options.isClean && !ownsItsMemory(answer.content) ? Buffer.from(answer.content) : answer.content;
    this.readyBytes += content.byteLength;
    introduction.result = { kind: 'content', content, origin };
  }

  /** The introduction an answer belongs to: answers come in request order. */
  private answered(waiting: Fifo<Introduction>, answer: CatFileAnswer): Introduction {
    const introduction = waiting.shift();
    if (!introduction || (answer.kind === 'found' && answer.id !== introduction.change.id)) throw new CatFileFormatError('answer out of order');
    return introduction;
  }

  /** One write per process per chunk of input; inputs close once the log has named every blob. */
  private sendRequests(): void {
    const catFile = this.catFile;
    if (!catFile) return; // requests wait until cat-file has started
    const sizes = this.sizeRequests;
    const contents = this.contentRequests;
    if (catFile.commands) {
      if (sizes.length + contents.length > 0) {
        let text = '';
        if (sizes.length > 0) {
          text += `info ${sizes.join('\ninfo ')}\n`;
          this.answersDue.push({ content: false, count: sizes.length });
        }
        if (contents.length > 0) {
          text += `contents ${contents.join('\ncontents ')}\n`;
          this.answersDue.push({ content: true, count: contents.length });
        }
        this.write(catFile.contents, `${text}flush\n`);
      }
    } else {
      if (sizes.length > 0) this.write(catFile.sizes, `${sizes.join('\n')}\n`);
      if (contents.length > 0) this.write(catFile.contents, `${contents.join('\n')}\n`);
    }
    this.sizeRequests = [];
    this.contentRequests = [];
    if (this.inputs === 'open' && this.logDone) {
      this.inputs = 'sizes ended';
      if (!catFile.commands) catFile.sizes.endInput();
    }
    if (this.inputs === 'sizes ended' && this.awaitingSize.length === 0) {
      this.inputs = 'ended';
      catFile.contents.endInput();
    }
  }

  private write(git: GitProcess, requests: string): void {
    git.write(requests).catch((error: unknown) => this.fail(error));
  }

  private resumeIfDrained(): void {
    if (this.log.stdout.isPaused() && this.introduced.length < MAX_INTRODUCED / 2) this.log.stdout.resume();
    const contents = this.catFile?.contents.stdout;
    if (contents?.isPaused() && this.readyBytes < READ_AHEAD_BYTES / 2) contents.resume();
  }

  private async missing(introduction: Introduction): Promise<SourceItem> {
    const { change } = introduction;
    this.partialClone ??= isPartialClone(this.options.repo, this.signal);
    if (await this.partialClone) return skip(introduction, 'unreadable', `blob ${change.id} is not present in this partial clone`);
    throw new InputError(`git object ${change.id} is corrupt or missing in ${this.options.repo}: run git fsck`);
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error instanceof LogFormatError
      ? new InputError(`unexpected output from git log in ${this.options.repo}: ${error.message}`)
      : error instanceof CatFileFormatError
        ? new InputError(`unexpected output from git cat-file in ${this.options.repo}`)
        : error;
    this.killAll();
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** Where a blob's findings point: its path in the commit that introduced it. */
function originOf({ change, commit }: Introduction): FragmentOrigin {
  return { path: change.path, startLine: 1, blob: change.id, ...(commit ? { commit } : {}) };
}

/** A commit known by its id only: `withCommitDetails` fills in the rest for the report. */
function unnamedCommit(sha: string): CommitInfo {
  return { sha, authorName: '', authorEmail: '', date: '', subject: '' };
}

function skip({ change, commit }: Introduction, reason: SkippedItem['reason'], detail: string, size?: number): SourceItem {
  return { kind: 'skipped', item: { path: change.path, reason, detail, ...(size === undefined ? {} : { size }), ...(commit ? { commit: commit.sha } : {}) } };
}

/** A queue with O(1) shift: a read index into an array compacted as it drains. */
class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  peek(): T | undefined {
    return this.items[this.head];
  }

  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }
}

/** git 2.36 added `cat-file --batch-command`; git's version is asked once per process. */
let batchCommandAvailable: boolean | undefined;

async function hasBatchCommand(repo: string): Promise<boolean> {
  if (batchCommandAvailable !== undefined) return batchCommandAvailable;
  try {
    const { stdout } = await runGit(repo, ['version']);
    const [, major, minor] = /(\d+)\.(\d+)/.exec(stdout) ?? [];
    return (batchCommandAvailable = Number(major) > 2 || (Number(major) === 2 && Number(minor) >= 36));
  } catch {
    return false; // not remembered: a missing repository fails where the walk starts, with its own message
  }
}

/**
 * A partial clone has a promisor remote (`remote.<name>.promisor`, which is what git 2.39 writes)
 * or the `extensions.partialClone` setting of older clones.
 */
async function isPartialClone(repo: string, signal: AbortSignal | undefined): Promise<boolean> {
  const { stdout } = await runGit(repo, ['config', '--get-regexp', '^(remote\\..*\\.promisor|extensions\\.partialclone)$'], { signal, okExitCodes: [0, 1] });
  return stdout.split('\n').some((line) => /^extensions\.partialclone \S/i.test(line) || /^remote\..*\.promisor true$/i.test(line));
}

/** Every object present in a partial clone; undefined for a complete repository (the usual case). */
async function presentObjectsOfPartialClone(repo: string, signal: AbortSignal | undefined): Promise<ObjectIdSet | undefined> {
  try {
    if (!(await isPartialClone(repo, signal))) return undefined;
  } catch {
    return undefined; // not a repository: the walk fails with its own message
  }
  const objects = new ObjectIdSet();
  let rest = '';
  for await (const chunk of streamGit(repo, ['cat-file', '--batch-all-objects', '--batch-check=%(objectname)'], { signal })) {
    const lines = (rest + chunk.toString('latin1')).split('\n');
    rest = lines.pop() ?? '';
    for (const id of lines) if (id !== '') objects.add(id);
  }
  return objects;
}

function notInPartialClone(introduction: Introduction): SourceItem {
  return skip(introduction, 'unreadable', `blob ${introduction.change.id} is not present in this partial clone (not fetched: segscan never fetches)`);
}
