// The directory scan's source: walks paths with fast-glob and names the files to scan (the
// scanner reads them, on worker threads for big trees). Every file it does not scan is reported
// as skipped, with the reason.
import * as fs from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { InputError } from '../errors.js';
import type { Source, SourceItem } from '../types.js';
import type { PathFilter } from './pathFilter.js';

export interface FileSourceOptions {
  /** Directory findings' paths are relative to. */
  root: string;
  /** Files or directories to scan (absolute, or relative to `cwd`). */
  paths: readonly string[];
  cwd: string;
  filter: PathFilter;
  maxFileSize: number;
  followSymlinks?: boolean;
}

interface Candidate {
  absolute: string;
  path: string;
  symlink: boolean;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

export function fileSource(options: FileSourceOptions): Source & { warnings: string[] } {
  const warnings: string[] = [];
  // Paths under the root (all of a walk's) are cut, not worked out by path.relative: on the
  // benchmark's tree of 24,881 files, resolve and relative took ~110 ms of the main thread.
  const rootPrefix = options.root.endsWith(sep) ? options.root : `${options.root}${sep}`;
  const relativePath = (abs: string) =>
    abs.startsWith(rootPrefix) && abs.length > rootPrefix.length
      ? toPosix(abs.slice(rootPrefix.length))
      : toPosix(relative(options.root, abs)) || toPosix(abs);

  const fileItem = (absolutePath: string, path: string): SourceItem =>
    ({ kind: 'file', absolutePath, origin: { path, startLine: 1 }, maxFileSize: options.maxFileSize });

  async function followSymlink(c: Candidate): Promise<SourceItem> {
    const resolved = await resolveSymlink(c.absolute, options.root);
    if ('notFollowed' in resolved) return { kind: 'skipped', item: { path: c.path, reason: 'symlink', detail: resolved.notFollowed } };
    return fileItem(resolved.target, c.path);
  }

  async function* candidates(signal?: AbortSignal): AsyncGenerator<Candidate | SourceItem> {
    for (const given of options.paths) {
      const absolute = resolve(options.cwd, given);
      let info: fs.Stats;
      try {
        info = await stat(absolute);
      } catch (e) {
        const code = errorCode(e);
        throw new InputError(code === 'ENOENT' ? `path not found: ${given}; check the path and try again` : `cannot read ${given} (${code}); check its permissions`);
      }
      if (!info.isDirectory()) {
        // A path named on the command line is scanned even if it is a symlink: the user asked.
        const path = relativePath(absolute);
        if (!info.isFile()) yield { kind: 'skipped', item: { path, reason: 'not-regular-file' } };
        else yield { absolute, path, symlink: false };
        continue;
      }
      yield* walk(absolute, signal);
    }
  }

  async function* walk(dir: string, signal?: AbortSignal): AsyncGenerator<Candidate | SourceItem> {
    // `**/*`, not `**`: picomatch's globstar does not match a file name holding a newline.
    const stream = fg.stream('**/*', {
      cwd: dir,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      // No stat per file: the reader checks the size on the open file.
      stats: false,
      ignore: options.filter.pruneGlobs,
      suppressErrors: true,
      fs: {
        ...fs,
        readdir: recordingReaddir(
          (path, code) => warnings.push(`cannot read directory ${relativePath(path)} (${code}); its files were not scanned`),
          skipsNodeModules ? (path) => pruned.push(relativePath(path)) : undefined,
        ),
      },
    }) as AsyncIterable<fg.Entry>;
    // fast-glob's paths are relative to `dir`, '/'-separated, without `.` or `..` segments.
    const dirPrefix = dir.endsWith('/') ? dir : `${dir}/`;
    for await (const entry of stream) {
      if (signal?.aborted) return;
      const absolute = sep === '/' ? `${dirPrefix}${entry.path}` : resolve(dir, entry.path);
      const path = relativePath(absolute);
      const d = entry.dirent;
      if (d.isDirectory()) continue;
      if (!options.filter(path)) continue;
      if (d.isSymbolicLink()) {
        if (options.followSymlinks) yield { absolute, path, symlink: true };
        else yield { kind: 'skipped', item: { path, reason: 'symlink', detail: 'symlinks are not followed (use --follow-symlinks)' } };
      } else if (!d.isFile()) {
        yield { kind: 'skipped', item: { path, reason: 'not-regular-file', detail: 'FIFO, socket or device' } };
      } else {
        yield { absolute, path, symlink: false };
      }
    }
  }

  /** node_modules/ directories the walk did not enter (a default exclude), listed so none is unseen. */
  const pruned: string[] = [];
  const skipsNodeModules = options.filter.pruneGlobs.includes('**/node_modules');
  function* notes(): Generator<SourceItem> {
    for (const message of warnings.splice(0)) yield { kind: 'warning', message };
    for (const path of pruned.splice(0)) yield { kind: 'skipped', item: { path, reason: 'excluded', detail: NODE_MODULES_DETAIL } };
  }

  return {
    warnings,
    async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
      for await (const c of candidates(signal)) {
        yield 'kind' in c ? c : c.symlink ? await followSymlink(c) : fileItem(c.absolute, c.path);
        yield* notes();
      }
      yield* notes();
    },
  };
}

/** Follow a file symlink only to a regular file inside the scan root; say why not otherwise. */
async function resolveSymlink(link: string, root: string): Promise<{ target: string } | { notFollowed: string }> {
  try {
    const target = await realpath(link);
    const realRoot = await realpath(root);
    const rel = relative(realRoot, target);
    if (rel.startsWith('..') || isAbsolute(rel)) return { notFollowed: 'points outside the scanned directory; not followed' };
    const info = await lstat(target);
    if (!info.isFile()) return { notFollowed: 'points to a directory or special file; not followed' };
    return { target };
  } catch (e) {
    return { notFollowed: `broken symlink (${errorCode(e)})` };
  }
}

type ReaddirCallback = (err: NodeJS.ErrnoException | null, entries: fs.Dirent[]) => void;

const NODE_MODULES_DETAIL = 'installed packages are not scanned by default; --include "**/node_modules/**" scans them';

/**
 * fast-glob can only suppress directory errors; this records them so none is silent, and the
 * node_modules/ directories it will prune (it never reads them, so they are seen only here).
 */
function recordingReaddir(onError: (path: string, code: string) => void, onNodeModules: ((path: string) => void) | undefined) {
  return (path: string, optionsOrCallback: unknown, maybeCallback?: ReaddirCallback): void => {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as ReaddirCallback;
    const opts = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    fs.readdir(path, opts as { withFileTypes: true }, (err, entries) => {
      if (err) onError(path, err.code ?? 'error');
      else if (onNodeModules) {
        for (const entry of entries) {
          if (entry.name === 'node_modules' && entry.isDirectory()) onNodeModules(`${path}${path.endsWith(sep) ? '' : sep}node_modules`);
        }
      }
      callback(err, entries);
    });
  };
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
