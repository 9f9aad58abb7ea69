import { resolve } from 'node:path';
import { describeRepository } from '../sources/gitRepository.js';
import { stagedSource } from '../sources/stagedDiff.js';
import type { CommandIO, CommandResult } from './io.js';
import { repositoryFacts } from './repositoryFacts.js';
import { runScanCommand } from './scanCommand.js';
import type { ScanArgs } from './scanOptions.js';

export function runStaged(args: ScanArgs & { repo: string }, io: CommandIO): Promise<CommandResult> {
  return runScanCommand('staged', args, io, async ({ filter, maxFileSize }) => {
    const repo = await describeRepository(resolve(io.cwd, args.repo), io.signal);
    const source = stagedSource({ repo: repo.root, maxFileSize, includePath: filter, ...(repo.head ? { head: repo.head } : {}) });
    return { root: repo.root, repository: repositoryFacts(repo), source };
  });
}
