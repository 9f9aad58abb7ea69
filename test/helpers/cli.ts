// Runs segscan's CLI in-process (through run(), as bin.ts does) or as a real process (dist/bin.js).
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { run, type CommandResult } from '../../src/cli.js';

export const BIN = fileURLToPath(new URL('../../dist/bin.js', import.meta.url));

export interface CliOptions {
  cwd?: string;
  stdin?: string | Buffer;
  env?: NodeJS.ProcessEnv;
  fetch?: typeof fetch;
  /** In-process only: standard input is a terminal (nothing piped in). */
  stdinIsTTY?: boolean;
}

export async function runCli(argv: string[], options: CliOptions = {}): Promise<CommandResult> {
  const stderrLive: string[] = [];
  const result = await run(argv, {
    cwd: options.cwd ?? process.cwd(),
    env: options.env ?? {},
    readStdin: async () => Buffer.from(options.stdin ?? ''),
    stdinIsTTY: options.stdinIsTTY ?? false,
    stdoutIsTTY: false,
    stderrIsTTY: false,
    writeStderr: (text) => stderrLive.push(text),
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  return { ...result, stderr: stderrLive.join('') + result.stderr };
}

/** Runs the built binary (npm test builds first), for exit codes and real stdio. */
export function runBin(argv: string[], options: CliOptions = {}): CommandResult {
  const r = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...options.env },
    input: options.stdin ?? '',
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { exitCode: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
