// Reports are written atomically: a temporary file beside the target, then a rename, so a full
// disk or a killed job never leaves a truncated report that a CI step would trust.
//
// Where a report goes is the invoker's choice, never the scanned content's: a cloned repository
// can commit `report.json` as a link to ~/.bashrc, or `reports/` as a link to a runner's own
// directory. So a report is never written through a symbolic link to a file (the name must be
// the file, or a device or pipe such as /dev/stdout, written in place), and never through a
// linked directory inside the scanned tree. A replaced file keeps its mode; a new one holding
// raw secrets (--no-redact) is created 0600.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { OutputError } from '../errors.js';

export interface ReportFileOptions {
  /** Directories of the scanned tree: no directory link below them is followed. */
  scannedTrees?: readonly string[];
  /** The content shows raw secrets: a new file is readable by its owner only. */
  holdsSecrets?: boolean;
  /** The file's mode, new or replaced (a known-keys file is always 0600). */
  mode?: number;
}

export async function writeFileAtomic(path: string, content: string, options: ReportFileOptions = {}): Promise<void> {
  const target = await reportTarget(path, options.scannedTrees ?? []);
  try {
    if (target.kind === 'stream') await writeFile(path, content);
    else await replaceFile(path, content, options.mode ?? target.mode, options.holdsSecrets === true || options.mode !== undefined);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new OutputError(`cannot write the report to ${path} (${code}); check that the directory exists, is writable and has free space`);
  }
}

/**
 * A temporary file beside `path`, then a rename over it; the temporary file never outlives a
 * failure. A replaced file's mode is kept exactly; a new file gets 0644 (0600 when it holds raw
 * secrets), less the umask.
 */
async function replaceFile(path: string, content: string, keptMode: number | undefined, holdsSecrets: boolean): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    // 'wx': the temporary name must be new, never an existing file or link. Until the chmod it is
    // private, so raw secrets are never readable by others, even for a moment.
    await writeFile(temporary, content, { mode: keptMode === undefined && !holdsSecrets ? 0o644 : 0o600, flag: 'wx' });
    if (keptMode !== undefined) await chmod(temporary, keptMode);
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw e;
  }
}

type Target = { kind: 'stream' } | { kind: 'file'; mode?: number };

/** How to write `path`: in place (a device or pipe) or by replacing a file, and the mode to keep. */
async function reportTarget(path: string, trees: readonly string[]): Promise<Target> {
  // /dev/stdout, /dev/fd/N: the caller's own descriptors, whatever they point at (a file too).
  if (/^\/(dev|proc\/self\/fd)\//.test(path)) return { kind: 'stream' };
  await refuseLinkedDirectories(path, trees);
  const link = await lstat(path).catch(() => undefined);
  if (!link) return { kind: 'file' }; // a new file
  if (link.isFile()) return { kind: 'file', mode: link.mode & 0o7777 };
  if (link.isDirectory()) return { kind: 'file' }; // the rename fails with EISDIR, reported as such
  const info = await stat(path).catch(() => undefined);
  // Devices and pipes are written through the name given (/dev/stdout is a link to the process's own descriptor).
  if (info && (info.isFIFO() || info.isCharacterDevice())) return { kind: 'stream' };
  if (link.isSymbolicLink()) {
    throw new OutputError(`cannot write the report to ${path}: it is a symbolic link, and segscan does not write through links; remove the link or name the file itself`);
  }
  // A directory, a socket or a block device: the rename would fail or do harm; say what it is.
  throw new OutputError(`cannot write the report to ${path}: it is not a regular file; name a file to write`);
}

/** A directory link between a scanned tree and the report: refuse it (the tree chose where it points). */
async function refuseLinkedDirectories(path: string, trees: readonly string[]): Promise<void> {
  const parent = dirname(path);
  for (const tree of trees) {
    const rel = relative(tree, parent);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) continue;
    let dir = tree;
    for (const part of rel.split(sep)) {
      dir = join(dir, part);
      const info = await lstat(dir).catch(() => undefined);
      if (info?.isSymbolicLink()) {
        throw new OutputError(`cannot write the report to ${path}: ${dir} is a symbolic link inside the scanned tree; write the report outside the scanned tree or remove the link`);
      }
    }
  }
}
