// A push parser for `git cat-file --batch`, `--batch-check` and `--batch-command` output (where
// `info` and `contents` answers mix: the caller says which one comes next). Pure: bytes in, answers out,
// synchronously, so a stream of thousands of small blobs costs no promise per object. Content that
// arrives inside one chunk is handed out as a view of that chunk (no copy); content spanning chunks
// is gathered into one buffer of exactly its size.

export type CatFileAnswer =
  /** `<name> missing` or `<name> ambiguous`: the object is not in the repository. */
  | { kind: 'missing'; name: string }
  /** A `--batch-check` answer, or a `--batch` header with its content. */
  | { kind: 'found'; id: string; type: string; size: number; content?: Buffer };

export class CatFileParser {
  private header = '';
  private body: { id: string; type: string; size: number; data: Buffer; filled: number } | undefined;
  /** Bytes still to skip after a gathered body: its terminating LF. */
  private skipLf = false;

  /**
   * `withContent`: `--batch` (header, content, LF) rather than `--batch-check` (header only); a
   * function is asked at each header, for `--batch-command`, whose answers follow the requests.
   */
  constructor(
    private readonly withContent: boolean | (() => boolean),
    private readonly onAnswer: (answer: CatFileAnswer) => void,
  ) {}

  /** True while an answer is incomplete (the stream must not end here). */
  get midAnswer(): boolean {
    return this.header !== '' || this.body !== undefined || this.skipLf;
  }

  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.skipLf) {
        this.skipLf = false;
        offset++;
        continue;
      }
      if (this.body) {
        offset = this.fillBody(chunk, offset);
        continue;
      }
      const newline = chunk.indexOf(0x0a, offset);
      if (newline === -1) {
        this.header += chunk.toString('latin1', offset);
        return;
      }
      const line = this.header + chunk.toString('latin1', offset, newline);
      this.header = '';
      offset = newline + 1;
      offset = this.answer(line, chunk, offset);
    }
  }

  /** Handle one header line; returns where the next answer starts in `chunk`. */
  private answer(line: string, chunk: Buffer, offset: number): number {
    const first = line.indexOf(' ');
    const second = line.indexOf(' ', first + 1);
    const name = first === -1 ? line : line.slice(0, first);
    if (second === -1) {
      // `<name> missing` (the name may itself contain spaces, so look at the end).
      this.onAnswer({ kind: 'missing', name: line.replace(/ (?:missing|ambiguous)$/, '') });
      return offset;
    }
    const type = line.slice(first + 1, second);
    const size = Number(line.slice(second + 1));
    if (!Number.isSafeInteger(size) || size < 0) throw new CatFileFormatError(`unexpected header '${line.slice(0, 120)}'`);
    if (this.withContent === false || (this.withContent !== true && !this.withContent())) {
      this.onAnswer({ kind: 'found', id: name, type, size });
      return offset;
    }
    // Content is followed by one LF. The common case, a small blob wholly in this chunk, is a view.
    if (offset + size < chunk.length) {
      this.onAnswer({ kind: 'found', id: name, type, size, content: chunk.subarray(offset, offset + size) });
      return offset + size + 1;
    }
    this.body = { id: name, type, size, data: Buffer.allocUnsafe(size), filled: 0 };
    return offset;
  }

  private fillBody(chunk: Buffer, offset: number): number {
    const body = this.body!;
    const take = Math.min(body.size - body.filled, chunk.length - offset);
    chunk.copy(body.data, body.filled, offset, offset + take);
    body.filled += take;
    if (body.filled < body.size) return offset + take;
    this.body = undefined;
    this.skipLf = true;
    this.onAnswer({ kind: 'found', id: body.id, type: body.type, size: body.size, content: body.data });
    return offset + take;
  }
}

/** cat-file printed something that is not an answer. */
export class CatFileFormatError extends Error {}
