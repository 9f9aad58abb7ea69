// Reads git objects through two long-lived `git cat-file` processes: `--batch-check` for sizes
// (so oversized blobs are never read) and `--batch` for contents. Requests are pipelined: callers
// may have several in flight, answers come back in request order. Never `--filters`/`--textconv`:
// the bytes scanned are the bytes stored.

import { InputError } from '../errors.js';
import { CatFileFormatError, CatFileParser, type CatFileAnswer } from './gitCatFileParser.js';
import { spawnGit, type GitProcess } from './gitCommand.js';
import { isObjectId } from './gitRawDiff.js';

export interface ObjectInfo {
  id: string;
  type: string;
  size: number;
}

export interface GitObjectReader {
  /** Type and size, or undefined when the object is not in the repository. */
  info(id: string): Promise<ObjectInfo | undefined>;
  /** The object's content, or undefined when it is not in the repository. */
  read(id: string): Promise<Buffer | undefined>;
  /** Finish cleanly: close the pipes and wait for git to exit. */
  close(): Promise<void>;
  /** Stop git now (idempotent; safe after close). */
  kill(): void;
}


/** `startNow`: start both git processes at once (by default each starts with its first request). */
export function openObjectReader(repo: string, signal?: AbortSignal, options: { startNow?: boolean } = {}): GitObjectReader {
  let check: CatFileChannel | undefined;
  let contents: CatFileChannel | undefined;
  const channel = (mode: CatFileMode): CatFileChannel => {
    if (mode === 'check') return (check ??= new CatFileChannel(repo, mode, signal));
    return (contents ??= new CatFileChannel(repo, mode, signal));
  };
  if (options.startNow) {
    channel('check');
    channel('contents');
  }
  return {
    info: async (id) => (await channel('check').request(id))?.info,
    read: async (id) => (await channel('contents').request(id))?.content,
    close: async () => {
      await Promise.all([check?.close(), contents?.close()]);
    },
    kill: () => {
      check?.kill();
      contents?.kill();
    },
  };
}

type CatFileMode = 'check' | 'contents';

interface Answer {
  info: ObjectInfo;
  content?: Buffer;
}

interface Pending {
  id: string;
  resolve: (answer: Answer | undefined) => void;
  reject: (error: unknown) => void;
}

/** One cat-file process: a FIFO of requests matched to a streaming parser of its answers. */
class CatFileChannel {
  private readonly git: GitProcess;
  private readonly pending: Pending[] = [];
  private readonly parser: CatFileParser;
  /** Ids requested in this turn of the event loop, written to git in one write. */
  private outbox: string[] = [];
  private failure: unknown;

  constructor(
    private readonly repo: string,
    mode: CatFileMode,
    signal: AbortSignal | undefined,
  ) {
    this.git = spawnGit(repo, ['cat-file', mode === 'check' ? '--batch-check' : '--batch'], { signal, input: true });
    this.parser = new CatFileParser(mode === 'contents', (answer) => this.answer(answer));
    void this.pump();
  }

  request(id: string): Promise<Answer | undefined> {
    if (!isObjectId(id)) return Promise.reject(new InputError(`not a git object id: ${id}`));
    if (this.failure !== undefined) return Promise.reject(this.failure);
    const answer = new Promise<Answer | undefined>((resolve, reject) => this.pending.push({ id, resolve, reject }));
    this.outbox.push(id);
    if (this.outbox.length === 1) setImmediate(() => this.flush());
    return answer;
  }

  /** One pipe write per batch of requests instead of one per object. */
  private flush(): void {
    const data = `${this.outbox.join('\n')}\n`;
    this.outbox = [];
    this.git.write(data).catch((error: unknown) => this.fail(error));
  }

  async close(): Promise<void> {
    this.git.endInput();
    await this.git.exited;
  }

  kill(): void {
    this.git.kill();
  }

  private async pump(): Promise<void> {
    try {
      for await (const chunk of this.git.stdout) this.parser.push(chunk as Buffer);
      await this.git.exited;
      if (this.pending.length > 0) this.fail(new InputError(`git cat-file stopped answering in ${this.repo}`));
    } catch (error) {
      if (error instanceof CatFileFormatError) return this.fail(this.unexpected());
      // git's exit status explains a broken pipe better than the pipe does.
      this.fail(await this.git.exited.then(() => error, (exitError: unknown) => exitError));
    }
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    for (const waiting of this.pending.splice(0)) waiting.reject(this.failure);
    this.git.kill();
  }

  private unexpected(): InputError {
    return new InputError(`unexpected output from git cat-file in ${this.repo}`);
  }

  private answer(answer: CatFileAnswer): void {
    const waiting = this.pending.shift();
    if (!waiting) return this.fail(this.unexpected());
    if (answer.kind === 'missing') return waiting.resolve(undefined);
    if (answer.id !== waiting.id) return this.fail(this.unexpected());
    const info: ObjectInfo = { id: answer.id, type: answer.type, size: answer.size };
    waiting.resolve(answer.content === undefined ? { info } : { info, content: answer.content });
  }
}
