// Scanning one file or blob: read (for files), sniff, keyword gate, decode, detect. Shared by the
// main thread and the worker threads, so both paths behave identically.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import type { Engine } from '../engine/detect.js';
import { asUtf8, sniffEncoding } from '../engine/text.js';
import type { Finding, FragmentOrigin, SkippedItem, SourceItem } from '../types.js';

/** The source items that hold something to scan. */
export type ItemTask = Extract<SourceItem, { kind: 'file' | 'content' }>;

export type ItemResult =
  | { outcome: 'scanned'; bytes: number; findings: Finding[] }
  | { outcome: 'skipped'; item: SkippedItem };

function skippedItem(origin: FragmentOrigin, reason: SkippedItem['reason'], extra: Partial<SkippedItem>): ItemResult {
  return { outcome: 'skipped', item: { path: origin.path, reason, ...extra, ...(origin.commit ? { commit: origin.commit.sha } : {}) } };
}

function binarySkip(content: Uint8Array, origin: FragmentOrigin): ItemResult {
  return skippedItem(origin, 'binary', { size: content.byteLength });
}

/**
 * The result for binary content, or for UTF-8 holding no keyword, without decoding it; undefined
 * when the engine must look. The keyword gate reads bytes as ASCII, which UTF-16 is not: those
 * files always go to the engine.
 */
export function settleWithoutEngine(engine: Engine, content: Uint8Array, origin: FragmentOrigin): ItemResult | undefined {
  const encoding = sniffEncoding(content);
  if (encoding === 'binary') return binarySkip(content, origin);
  if (encoding === 'utf-8' && !engine.mayContainSecrets(content)) return cleanResult(content.byteLength);
  return undefined;
}

/**
 * True for content settleWithoutEngine settles as scanned with nothing to report (UTF-8 text
 * without any rule keyword): a source may then pass on its size alone (a `clean` item).
 */
export function holdsNoKeyword(engine: Engine, content: Uint8Array): boolean {
  return sniffEncoding(content) === 'utf-8' && !engine.mayContainSecrets(content);
}

const NO_FINDINGS: Finding[] = [];

/** Scanned, nothing found. The findings array is shared: results are read, never added to. */
function cleanResult(bytes: number): ItemResult {
  return { outcome: 'scanned', bytes, findings: NO_FINDINGS };
}

/** Detect: for content that settleWithoutEngine did not settle. */
export function detectContent(engine: Engine, content: Uint8Array, origin: FragmentOrigin): ItemResult {
  const encoding = sniffEncoding(content);
  if (encoding === 'binary') return binarySkip(content, origin);
  return { outcome: 'scanned', bytes: content.byteLength, findings: engine.detectUtf8(origin, asUtf8(content, encoding)) };
}

export function scanContent(engine: Engine, content: Uint8Array, origin: FragmentOrigin): ItemResult {
  return settleWithoutEngine(engine, content, origin) ?? detectContent(engine, content, origin);
}

export function scanItem(engine: Engine, task: ItemTask): ItemResult {
  if (task.kind === 'content') return scanContent(engine, task.content, task.origin);
  const read = readRegularFile(task.absolutePath, task.maxFileSize);
  if ('skip' in read) return skippedItem(task.origin, read.skip, read.detail);
  return scanContent(engine, read.content, task.origin);
}

/**
 * The walker sees names as UTF-8 text, so a name that is not valid UTF-8 arrives with U+FFFD in
 * it and cannot be opened as written. Find the real (byte) name in its directory instead.
 */
function rawPath(path: string): string | Buffer {
  if (!path.includes('\uFFFD')) return path;
  const slash = path.lastIndexOf('/');
  const dir = path.slice(0, slash);
  const name = path.slice(slash + 1);
  try {
    const match = readdirSync(dir, { encoding: 'buffer' }).find((raw) => raw.toString('utf8') === name);
    return match ? Buffer.concat([Buffer.from(`${dir}/`), match]) : path;
  } catch {
    return path;
  }
}

let scratch = Buffer.alloc(0);

/**
 * One read buffer per thread, grown as needed and reused: nothing keeps file bytes after
 * scanContent returns, and reusing it keeps memory flat instead of churning the allocator.
 */
function scratchBuffer(size: number): Buffer {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, 64 * 1024));
  return scratch.subarray(0, size);
}

type ReadOutcome = { content: Buffer } | { skip: SkippedItem['reason']; detail: Partial<SkippedItem> };

/**
 * Read a whole regular file, checking its size on the open descriptor (no separate stat per file
 * while walking). Synchronous reads are several times faster than fs.promises for many small
 * files, and run on worker threads when the scan is large. O_NONBLOCK: a file swapped for a FIFO
 * after the walk must not block the scan.
 */
function readRegularFile(path: string, maxFileSize: number): ReadOutcome {
  let fd: number;
  try {
    fd = openSync(rawPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return { skip: 'unreadable', detail: { detail: (e as NodeJS.ErrnoException).code ?? 'open failed' } };
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return { skip: 'not-regular-file', detail: { detail: 'FIFO, socket or device' } };
    if (info.size > maxFileSize) {
      return { skip: 'too-large', detail: { size: info.size, detail: `larger than --max-file-size (${maxFileSize} bytes)` } };
    }
    const content = scratchBuffer(info.size);
    let filled = 0;
    while (filled < content.length) {
      const n = readSync(fd, content, filled, content.length - filled, filled);
      if (n === 0) break; // the file shrank while we read it
      filled += n;
    }
    return { content: filled === content.length ? content : content.subarray(0, filled) };
  } catch (e) {
    return { skip: 'unreadable', detail: { detail: (e as NodeJS.ErrnoException).code ?? 'read failed' } };
  } finally {
    closeSync(fd);
  }
}
