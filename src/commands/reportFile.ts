// Reports are written atomically: a temporary file beside the target, then a rename, so a full
// disk or a killed job never leaves a truncated report that a CI step would trust. Only regular
// files are replaced that way: `--output /dev/stdout`, `/dev/null` or a named pipe is written in
// place (a rename would swap the device for a file, and as root that breaks /dev/null for the
// whole machine), and a symbolic link is followed, so the link stays and its target is updated.
import { randomBytes } from 'node:crypto';
import { realpath, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { OutputError } from '../errors.js';

/** `mode` applies to a new or replaced regular file (0600 for files only their owner should read). */
export async function writeFileAtomic(path: string, content: string, mode = 0o644): Promise<void> {
  const target = await reportTarget(path);
  try {
    if (target.replaceable) await replaceFile(target.path, content, mode);
    else await writeFile(target.path, content);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new OutputError(`cannot write the report to ${path} (${code}); check that the directory exists, is writable and has free space`);
  }
}

/** A temporary file beside `path`, then a rename over it; the temporary file never outlives a failure. */
async function replaceFile(path: string, content: string, mode: number): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, content, { mode });
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw e;
  }
}

/** Where to write: the link's target for a symbolic link; whether a rename may replace it. */
async function reportTarget(path: string): Promise<{ path: string; replaceable: boolean }> {
  const info = await stat(path).catch(() => undefined);
  if (!info) return { path, replaceable: true }; // a new file
  // Devices and pipes are written through the name given (/dev/stdout resolves to "pipe:[…]").
  if (!info.isFile()) return { path, replaceable: false };
  return { path: await realpath(path).catch(() => path), replaceable: true };
}
