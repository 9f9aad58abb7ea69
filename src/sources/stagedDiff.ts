// The staged source: exactly what `git commit` would add. Each staged file is scanned whole, as
// stored in the index (context helps rules), but only findings on added lines count (`onlyLines`).
// The file list comes from `git diff-index --cached --raw -z` (exact paths); added line numbers
// from the `-U0` patch of the same diff, whose sections come in the same order and are paired with
// the list one by one (a type change is printed as a deletion and a creation: two sections).

import type { Source, SourceItem, SkippedItem } from '../types.js';
import { InputError } from '../errors.js';
import { runGit, streamGit } from './gitCommand.js';
import { openObjectReader, type GitObjectReader } from './gitObjectReader.js';
import { patchLines, patchSections, type PatchSection } from './gitPatchHunks.js';
import { GITLINK_MODE, SYMLINK_MODE, isNullId, nulTokens, parseRawEntry, type RawEntry } from './gitRawDiff.js';
import { WHOLE_CONTENT_BYTES } from '../pool/windowedScan.js';

export interface StagedOptions {
  repo: string;
  maxFileSize: number;
  includePath?: (path: string) => boolean;
  /** HEAD's commit, when the caller knows it already (describeRepository): one git process less. */
  head?: string;
}

export interface StagedFile extends RawEntry {
  path: string;
  /** 1-based inclusive line ranges the commit would add to this file. */
  added: Array<[number, number]>;
  /** The staged blob's size, when it was asked for while listing (to keep oversized blobs out of the patch). */
  size?: number;
}

const EMPTY_TREE: Record<string, string> = {
  sha1: '4b825dc642cb6eb9a060e54bf8d69288fbee4904',
  sha256: '6ef19b41225c5369f1c104d45d8d85efa9b057b53b14b4b9b939dd74decc5321',
};

/** Options shared by both diff-index runs so they describe the same diff. */
const DIFF_OPTIONS = ['--cached', '-M', '--no-textconv', '--no-ext-diff', '--no-color', '--ignore-submodules=none'];

export function stagedSource(options: StagedOptions): Source {
  return { items: (signal) => stagedItems(options, signal) };
}

async function* stagedItems(options: StagedOptions, signal: AbortSignal | undefined): AsyncGenerator<SourceItem, void, undefined> {
  // Both cat-file processes start now, beside the diffs, instead of when the first size and the
  // first content are asked for: a commit hook waits for each git process in this chain.
  const reader = openObjectReader(options.repo, signal, { startNow: true });
  try {
    // Blobs too big to read whole are kept out of the patch (git would diff them in memory) and
    // streamed whole instead: every finding in them counts.
    const files = await stagedFiles(options.repo, signal, { reader, maxFileSize: Math.min(options.maxFileSize, WHOLE_CONTENT_BYTES) }, options.head);
    for (const file of files) {
      if (options.includePath && !options.includePath(file.path)) continue;
      const items = await fileItems(file, options, reader);
      yield* items;
    }
    await reader.close();
  } finally {
    reader.kill();
  }
}

/**
 * Staged changes that add lines, with the lines they add. Deletions and pure renames add none.
 * With a size limit, blobs over it are left out of the patch (git would diff them whole, in
 * memory); they are listed with no added lines and reported as too large by the caller.
 */
export async function stagedFiles(repo: string, signal?: AbortSignal, limit?: { reader: GitObjectReader; maxFileSize: number }, head?: string): Promise<StagedFile[]> {
  const base = head ?? (await stagedBase(repo, signal));
  const entries = await rawEntries(repo, base, signal);
  const oversized = new Set<RawEntry & { path: string; oldPath?: string }>();
  const sizes = new Map<RawEntry, number>();
  if (limit) {
    // All sizes asked at once: the reader sends the ids in one write, git answers in one pass.
    const sized = entries.filter((entry) => !isNullId(entry.id) && entry.mode !== GITLINK_MODE);
    const infos = await Promise.all(sized.map((entry) => limit.reader.info(entry.id)));
    sized.forEach((entry, i) => {
      const info = infos[i];
      if (info) sizes.set(entry, info.size);
      if (info && info.size > limit.maxFileSize) oversized.add(entry);
    });
  }
  const excluded = [...oversized].flatMap((e) => [e.path, ...(e.oldPath === undefined ? [] : [e.oldPath])]);
  const sections = await hunkSections(repo, base, excluded, signal);
  const diffed = pairSections(repo, entries.filter((e) => !oversized.has(e)), sections);
  // Back into the staged order; an oversized file gets a nominal added line so it is reported.
  let next = 0;
  const files = entries.map((e): StagedFile => {
    const file: StagedFile = oversized.has(e) ? { ...e, added: [[1, 1]] } : (diffed[next++] as StagedFile);
    const size = sizes.get(e);
    return size === undefined ? file : { ...file, size };
  });
  return files.filter((file) => file.added.length > 0);
}

/** HEAD's tree, or the empty tree before the first commit. */
async function stagedBase(repo: string, signal: AbortSignal | undefined): Promise<string> {
  const head = await runGit(repo, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'], { signal, okExitCodes: [0, 1] });
  const sha = head.stdout.trim();
  if (head.exitCode === 0 && sha) return sha;
  const format = await runGit(repo, ['rev-parse', '--show-object-format'], { signal, okExitCodes: [0, 128, 129] });
  return EMPTY_TREE[format.stdout.trim()] ?? EMPTY_TREE.sha1!;
}

async function rawEntries(repo: string, base: string, signal: AbortSignal | undefined): Promise<Array<RawEntry & { path: string; oldPath?: string }>> {
  const entries: Array<RawEntry & { path: string; oldPath?: string }> = [];
  let oldPath: string | undefined;
  const tokens = nulTokens(streamGit(repo, ['diff-index', ...DIFF_OPTIONS, '--raw', '-z', '--no-abbrev', base, '--'], { signal }));
  let entry: RawEntry | undefined;
  let pathsLeft = 0;
  for await (const token of tokens) {
    if (entry) {
      // A rename lists the old path, then the new one: the new one names the staged file.
      if (--pathsLeft === 0) {
        entries.push({ ...entry, path: token, ...(oldPath === undefined ? {} : { oldPath }) });
        entry = undefined;
        oldPath = undefined;
      } else oldPath = token;
      continue;
    }
    entry = parseRawEntry(token.replace(/^\n/, ''));
    if (!entry) throw new InputError(`unexpected output from git diff-index in ${repo}`);
    pathsLeft = entry.pathCount;
  }
  return entries;
}

async function hunkSections(repo: string, base: string, excluded: readonly string[], signal: AbortSignal | undefined): Promise<PatchSection[]> {
  const sections: PatchSection[] = [];
  // --text: a .gitattributes `binary` or `-diff` must not hide the added lines of a text file.
  const exclusions = excluded.map((path) => `:(exclude,literal)${path}`);
  const args = ['diff-index', ...DIFF_OPTIONS, '-p', '-U0', '--text', '--src-prefix=a/', '--dst-prefix=b/', base, '--', ...exclusions];
  for await (const section of patchSections(patchLines(streamGit(repo, args, { signal })))) sections.push(section);
  return sections;
}

function pairSections(repo: string, entries: ReadonlyArray<RawEntry & { path: string }>, sections: readonly PatchSection[]): StagedFile[] {
  const files: StagedFile[] = [];
  let next = 0;
  for (const entry of entries) {
    // Unmerged paths print "* Unmerged path" instead of a section; type changes print two.
    const count = entry.status === 'U' ? 0 : entry.status === 'T' ? 2 : 1;
    const mine = sections.slice(next, next + count);
    next += count;
    const creation = mine[mine.length - 1];
    if (mine.length !== count || (creation?.newPath !== undefined && creation.newPath !== entry.path)) {
      throw new InputError(`could not match the staged patch to the staged file list at '${entry.path}' in ${repo}`);
    }
    const adds = creation && !creation.deleted && !isNullId(entry.id);
    files.push({ ...entry, added: adds ? creation.added : [] });
  }
  if (next !== sections.length) throw new InputError(`could not match the staged patch to the staged file list in ${repo}`);
  return files;
}

async function fileItems(file: StagedFile, options: StagedOptions, reader: GitObjectReader): Promise<SourceItem[]> {
  const skip = (reason: SkippedItem['reason'], detail: string, size?: number): SourceItem[] => [
    { kind: 'skipped', item: { path: file.path, reason, detail, ...(size === undefined ? {} : { size }) } },
  ];
  if (file.mode === GITLINK_MODE) return skip('submodule', `submodule commit ${file.id}`);
  if (file.mode === SYMLINK_MODE) return skip('symlink', 'staged symbolic link');
  // The size was asked for while listing; asked again only if that failed (the error comes here).
  const size = file.size ?? (await reader.info(file.id))?.size;
  if (size === undefined) throw new InputError(`git object ${file.id} is corrupt or missing in ${options.repo}: run git fsck`);
  if (size > options.maxFileSize) {
    return skip('too-large', `staged blob is ${size} bytes, over the ${options.maxFileSize}-byte limit`, size);
  }
  if (size > WHOLE_CONTENT_BYTES) {
    const { repo } = options;
    return [{ kind: 'stream', origin: { path: file.path, startLine: 1 }, size, chunks: (signal) => streamGit(repo, ['cat-file', 'blob', file.id], { signal }) }];
  }
  const content = await reader.read(file.id);
  if (!content) throw new InputError(`git object ${file.id} is corrupt or missing in ${options.repo}: run git fsck`);
  // Raw bytes: the scanner sniffs the encoding (binary content is scanned for its text runs).
  return [{ kind: 'content', content, origin: { path: file.path, startLine: 1, onlyLines: file.added } }];
}
