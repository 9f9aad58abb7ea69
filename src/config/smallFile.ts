// Reading a config or baseline file: only a regular file, only up to a size limit, checked on the
// open descriptor. A path in a cloned repository can name /dev/zero (an endless read), /dev/stdin
// or a FIFO (a read that never ends), or a file that grows while it is read.
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

export type SmallFileResult =
  | { ok: true; text: string }
  | { ok: false; problem: 'not-a-file' }
  | { ok: false; problem: 'too-large' }
  | { ok: false; problem: 'unreadable'; code: string };

export function readSmallFile(path: string, maxBytes: number): SmallFileResult {
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading must not wait for a writer.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { ok: false, problem: 'unreadable', code: (e as NodeJS.ErrnoException).code ?? 'error' };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { ok: false, problem: 'not-a-file' };
    if (info.size > maxBytes) return { ok: false, problem: 'too-large' };
    // One byte more than allowed tells a file that grew after the fstat.
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    for (let n = 1; n > 0 && filled < buffer.length; filled += n) n = readSync(fd, buffer, filled, buffer.length - filled, filled);
    if (filled > maxBytes) return { ok: false, problem: 'too-large' };
    return { ok: true, text: buffer.toString('utf8', 0, filled) };
  } catch (e) {
    return { ok: false, problem: 'unreadable', code: (e as NodeJS.ErrnoException).code ?? 'error' };
  } finally {
    closeSync(fd);
  }
}
