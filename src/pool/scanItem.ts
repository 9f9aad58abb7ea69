// Scanning one file or blob: read (for files), sniff, keyword gate, decode, detect. Shared by the
// main thread and the worker threads, so both paths behave identically.
import { closeSync, constants, fstatSync, openSync, readSync, readdirSync } from 'node:fs';
import type { Engine } from '../engine/detect.js';
import { engineText, sniffEncoding } from '../engine/text.js';
import { WHOLE_CONTENT_BYTES, WINDOW_BYTES, WindowedScanner } from './windowedScan.js';
import type { Finding, FragmentOrigin, SkippedItem, SourceItem } from '../types.js';

/** The source items that hold something to scan. */
export type ItemTask = Extract<SourceItem, { kind: 'file' | 'content' }>;

export type ItemResult =
  | { outcome: 'scanned'; bytes: number; findings: Finding[] }
  | { outcome: 'skipped'; item: SkippedItem };

function skippedItem(origin: FragmentOrigin, reason: SkippedItem['reason'], extra: Partial<SkippedItem>): ItemResult {
  return { outcome: 'skipped', item: { path: origin.path, reason, ...extra, ...(origin.commit ? { commit: origin.commit.sha } : {}) } };
}

/**
 * The result for content holding no keyword (UTF-8 text, or binary content whose text runs hold
 * none), without decoding it; undefined when the engine must look. The keyword gate reads bytes
 * as ASCII, which UTF-16 text is not: those files always go to the engine.
 */
export function settleWithoutEngine(engine: Engine, content: Uint8Array): ItemResult | undefined {
  return holdsNoKeyword(engine, content) ? cleanResult(content.byteLength) : undefined;
}

/**
 * True for content settleWithoutEngine settles as scanned with nothing to report: a source may
 * then pass on its size alone (a `clean` item).
 */
export function holdsNoKeyword(engine: Engine, content: Uint8Array): boolean {
  const encoding = sniffEncoding(content);
  if (encoding === 'utf-8') return !engine.mayContainSecrets(content);
  return encoding === 'binary' && !engine.mayContainSecretsInBinary(content);
}

const NO_FINDINGS: Finding[] = [];

/** Scanned, nothing found. The findings array is shared: results are read, never added to. */
function cleanResult(bytes: number): ItemResult {
  return { outcome: 'scanned', bytes, findings: NO_FINDINGS };
}

/** Detect: for content that settleWithoutEngine did not settle. */
export function detectContent(engine: Engine, content: Uint8Array, origin: FragmentOrigin): ItemResult {
  return { outcome: 'scanned', bytes: content.byteLength, findings: engine.detectUtf8(origin, engineText(content)) };
}

export function scanContent(engine: Engine, content: Uint8Array, origin: FragmentOrigin): ItemResult {
  return settleWithoutEngine(engine, content) ?? detectContent(engine, content, origin);
}

export function scanItem(engine: Engine, task: ItemTask): ItemResult {
  if (task.kind === 'content') return scanContent(engine, task.content, task.origin);
  return withRegularFile(task.absolutePath, task.origin, (fd, size) => {
    if (size > task.maxFileSize) return tooLarge(engine, fd, size, task.maxFileSize, task.origin);
    if (size > WHOLE_CONTENT_BYTES) return scanFileInWindows(engine, fd, task.origin);
    return scanContent(engine, readWhole(fd, size), task.origin);
  });
}

function scanFileInWindows(engine: Engine, fd: number, origin: FragmentOrigin): ItemResult {
  const scanner = new WindowedScanner(engine, origin);
  for (const chunk of chunksOf(fd, windowBuffer ??= Buffer.allocUnsafe(WINDOW_BYTES))) scanner.push(chunk);
  return { outcome: 'scanned', ...scanner.end() };
}

/**
 * A file over --max-file-size is skipped as asked, but first read through the keyword gate: a skip
 * that could hide a key says so (reports warn, and a --strict scan fails on it).
 */
function tooLarge(engine: Engine, fd: number, size: number, maxFileSize: number, origin: FragmentOrigin): ItemResult {
  let holdsKeywords = false;
  let binary: boolean | undefined;
  for (const chunk of chunksOf(fd, (gateBuffer ??= Buffer.allocUnsafe(GATE_CHUNK_BYTES)), GATE_OVERLAP_BYTES)) {
    binary ??= sniffEncoding(chunk) !== 'utf-8';
    if (binary ? engine.mayContainSecretsInBinary(chunk) : engine.mayContainSecrets(chunk)) {
      holdsKeywords = true;
      break;
    }
  }
  const detail = `larger than --max-file-size of ${maxFileSize} bytes${holdsKeywords ? '; it holds Segment keywords' : ''}`;
  return skippedItem(origin, 'too-large', { size, detail, ...(holdsKeywords ? { holdsKeywords } : {}) });
}

/** Longer than any rule keyword: a keyword across two chunks is whole in one of them. */
const GATE_OVERLAP_BYTES = 256;

/**
 * The buffers files are read into in pieces, one of each per thread, allocated once and reused:
 * a buffer per file cost up to 8 MiB of garbage each (on the benchmark's tree, with five files
 * over --max-file-size, peak RSS was 10% higher for it).
 */
let windowBuffer: Buffer | undefined;
let gateBuffer: Buffer | undefined;
/** What the gate reads of an oversized file at a time: it stops at the first keyword. */
const GATE_CHUNK_BYTES = 1024 * 1024;

/**
 * A file's bytes in windows of `chunk`'s size, each starting `overlap` bytes before the previous
 * one ended (the scanner keeps its own overlap). Each is used up (copied or gated) before the next
 * read overwrites it.
 */
function* chunksOf(fd: number, chunk: Buffer, overlap = 0): Generator<Buffer> {
  let position = 0;
  for (;;) {
    const n = readSync(fd, chunk, 0, chunk.length, position);
    if (n === 0) return;
    yield chunk.subarray(0, n);
    if (n < chunk.length) return;
    position += n - overlap;
  }
}

function readWhole(fd: number, size: number): Buffer {
  const content = scratchBuffer(size);
  let filled = 0;
  while (filled < content.length) {
    const n = readSync(fd, content, filled, content.length - filled, filled);
    if (n === 0) break; // the file shrank while we read it
    filled += n;
  }
  return filled === content.length ? content : content.subarray(0, filled);
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

/**
 * Open a regular file and hand its descriptor and size to `scan`, checking the size on the open
 * descriptor (no separate stat per file while walking). Synchronous reads are several times
 * faster than fs.promises for many small files, and run on worker threads when the scan is large.
 * O_NONBLOCK: a file swapped for a FIFO after the walk must not block the scan.
 */
function withRegularFile(path: string, origin: FragmentOrigin, scan: (fd: number, size: number) => ItemResult): ItemResult {
  let fd: number;
  try {
    fd = openSync(rawPath(path), constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return skippedItem(origin, 'unreadable', { detail: (e as NodeJS.ErrnoException).code ?? 'open failed' });
  }
  try {
    const info = fstatSync(fd);
    if (!info.isFile()) return skippedItem(origin, 'not-regular-file', { detail: 'FIFO, socket or device' });
    return scan(fd, info.size);
  } catch (e) {
    return skippedItem(origin, 'unreadable', { detail: (e as NodeJS.ErrnoException).code ?? 'read failed' });
  } finally {
    closeSync(fd);
  }
}
