import { stdinSource } from '../sources/stdin.js';
import type { CommandIO, CommandResult } from './io.js';
import { runScanCommand } from './scanCommand.js';
import { IN_MEMORY_LIMIT, type ScanArgs } from './scanOptions.js';

export function runStdin(args: ScanArgs & { path: string }, io: CommandIO): Promise<CommandResult> {
  return runScanCommand('stdin', args, io, async ({ maxFileSize }) => ({
    root: io.cwd,
    source: stdinSource(io.readStdin, args.path, Math.min(maxFileSize, IN_MEMORY_LIMIT)),
  }));
}
