// The directory scan's source: walks paths with fast-glob and reads files with bounded
// concurrency. Every file it does not scan is reported as skipped, with the reason.
import * as fs from 'node:fs';
import { lstat, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import fg from 'fast-glob';
import { decodeBytes } from '../engine/text.js';
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
  /** Files read at once; enough to keep the disk busy, few enough to bound memory. */
  concurrency?: number;
}

interface Candidate {
  absolute: string;
  path: string;
  size: number;
  symlink: boolean;
}

const toPosix = (p: string) => (sep === '/' ? p : p.split(sep).join('/'));

export function fileSource(options: FileSourceOptions): Source & { warnings: string[] } {
  const warnings: string[] = [];
  const relativePath = (abs: string) => toPosix(relative(options.root, abs)) || toPosix(abs);

  async function readCandidate(c: Candidate): Promise<SourceItem> {
    let target = c.absolute;
    let size = c.size;
    if (c.symlink) {
      const resolved = await resolveSymlink(c.absolute, options.root);
      if (typeof resolved === 'string') return { kind: 'skipped', item: { path: c.path, reason: 'symlink', detail: resolved } };
      target = resolved.target;
      size = resolved.size;
    }
    if (size > options.maxFileSize) {
      return { kind: 'skipped', item: { path: c.path, reason: 'too-large', size, detail: `larger than --max-file-size (${options.maxFileSize} bytes)` } };
    }
    let bytes: Buffer;
    try {
      bytes = await readFile(target);
    } catch (e) {
      return { kind: 'skipped', item: { path: c.path, reason: 'unreadable', detail: errorCode(e) } };
    }
    const decoded = decodeBytes(bytes);
    if (decoded.kind === 'binary') return { kind: 'skipped', item: { path: c.path, reason: 'binary', size: bytes.length } };
    return { kind: 'fragment', fragment: { text: decoded.text, path: c.path, startLine: 1 }, bytes: bytes.length };
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
        else yield { absolute, path, size: info.size, symlink: false };
        continue;
      }
      yield* walk(absolute, signal);
    }
  }

  async function* walk(dir: string, signal?: AbortSignal): AsyncGenerator<Candidate | SourceItem> {
    const stream = fg.stream('**', {
      cwd: dir,
      dot: true,
      onlyFiles: false,
      followSymbolicLinks: false,
      objectMode: true,
      stats: true,
      ignore: options.filter.pruneGlobs,
      suppressErrors: true,
      fs: { ...fs, readdir: recordingReaddir((path, code) => warnings.push(`cannot read directory ${relativePath(path)} (${code}); its files were not scanned`)) },
    }) as AsyncIterable<fg.Entry>;
    for await (const entry of stream) {
      if (signal?.aborted) return;
      const absolute = resolve(dir, entry.path);
      const path = relativePath(absolute);
      const d = entry.dirent;
      if (d.isDirectory()) continue;
      if (!options.filter(path)) continue;
      if (d.isSymbolicLink()) {
        if (options.followSymlinks) yield { absolute, path, size: 0, symlink: true };
        else yield { kind: 'skipped', item: { path, reason: 'symlink', detail: 'symlinks are not followed (use --follow-symlinks)' } };
      } else if (!d.isFile()) {
        yield { kind: 'skipped', item: { path, reason: 'not-regular-file', detail: 'FIFO, socket or device' } };
      } else {
        yield { absolute, path, size: entry.stats?.size ?? 0, symlink: false };
      }
    }
  }

  return {
    warnings,
    async *items(signal?: AbortSignal): AsyncIterable<SourceItem> {
      const limit = options.concurrency ?? 16;
      const pending: Array<Promise<SourceItem>> = [];
      for await (const c of candidates(signal)) {
        if ('kind' in c) {
          yield c;
          continue;
        }
        pending.push(readCandidate(c));
        if (pending.length >= limit) yield await (pending.shift() as Promise<SourceItem>);
        for (const w of warnings.splice(0)) yield { kind: 'warning', message: w };
      }
      for (const p of pending) yield await p;
      for (const w of warnings.splice(0)) yield { kind: 'warning', message: w };
    },
  };
}

/** Follow a file symlink only to a regular file inside the scan root; say why not otherwise. */
async function resolveSymlink(link: string, root: string): Promise<{ target: string; size: number } | string> {
  try {
    const target = await realpath(link);
    const realRoot = await realpath(root);
    const rel = relative(realRoot, target);
    if (rel.startsWith('..') || isAbsolute(rel)) return 'points outside the scanned directory; not followed';
    const info = await lstat(target);
    if (!info.isFile()) return 'points to a directory or special file; not followed';
    return { target, size: info.size };
  } catch (e) {
    return `broken symlink (${errorCode(e)})`;
  }
}

type ReaddirCallback = (err: NodeJS.ErrnoException | null, entries: fs.Dirent[]) => void;

/** fast-glob can only suppress directory errors; this records them so none is silent. */
function recordingReaddir(onError: (path: string, code: string) => void) {
  return (path: string, optionsOrCallback: unknown, maybeCallback?: ReaddirCallback): void => {
    const callback = (typeof optionsOrCallback === 'function' ? optionsOrCallback : maybeCallback) as ReaddirCallback;
    const opts = typeof optionsOrCallback === 'function' ? {} : optionsOrCallback;
    fs.readdir(path, opts as { withFileTypes: true }, (err, entries) => {
      if (err) onError(path, err.code ?? 'error');
      callback(err, entries);
    });
  };
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
}
