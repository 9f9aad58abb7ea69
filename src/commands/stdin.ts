import { stdinSource } from '../sources/stdin.js';
import type { CommandIO, CommandResult } from './io.js';
import { runScanCommand } from './scanCommand.js';
import { IN_MEMORY_LIMIT, type ScanArgs } from './scanOptions.js';

/** Said on stderr when nothing is piped in, so a terminal that seems to hang says why. */
export const WAITING_FOR_TERMINAL = 'segscan: reading standard input from the terminal; type or paste the text, then press Ctrl-D on a line of its own (or pipe a file: segscan stdin < FILE)\n';

export function runStdin(args: ScanArgs & { path: string }, io: CommandIO): Promise<CommandResult> {
  return runScanCommand('stdin', args, io, async ({ maxFileSize }) => {
    if (io.stdinIsTTY && !args.quiet) io.writeStderr(WAITING_FOR_TERMINAL);
    return { root: io.cwd, source: stdinSource(io.readStdin, args.path, Math.min(maxFileSize, IN_MEMORY_LIMIT)) };
  });
}
