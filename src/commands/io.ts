// What a command may touch of the outside world, injected so tests run commands in-process.

export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Reads all of standard input. */
  readStdin: () => Promise<Buffer>;
  /** True when standard input is a terminal (nothing piped in). */
  stdinIsTTY?: boolean;
  stdoutIsTTY: boolean;
  stderrIsTTY: boolean;
  /** Live progress and warnings that should appear while the scan runs (stderr). */
  writeStderr: (text: string) => void;
  /** The terminal to draw progress on; absent when stderr is not a terminal. */
  progressStream?: import('node:stream').Writable;
  fetch?: typeof fetch;
  signal?: AbortSignal;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}
