import { accessSync, constants, opendirSync, statSync } from 'node:fs';
import { InputError } from '../errors.js';
import { resolve } from 'node:path';
import { fileSource } from '../sources/files.js';
import type { CommandIO, CommandResult } from './io.js';
import { runScanCommand } from './scanCommand.js';
import type { ScanArgs } from './scanOptions.js';

/** The root that findings' paths are relative to: the one directory given, else the cwd. */
function scanRoot(paths: readonly string[], cwd: string): string {
  const only = paths.length === 1 ? resolve(cwd, paths[0] ?? '.') : undefined;
  try {
    if (only && statSync(only).isDirectory()) return only;
  } catch {
    // A missing path is reported by the source with a clear message.
  }
  return cwd;
}

/** Fail before scanning anything when a named path does not exist or cannot be read. */
function checkPathsExist(paths: readonly string[], cwd: string): void {
  for (const path of paths) {
    try {
      const absolute = resolve(cwd, path);
      // A root the scan cannot list would otherwise look like a clean, empty scan.
      if (statSync(absolute).isDirectory()) opendirSync(absolute).closeSync();
      else accessSync(absolute, constants.R_OK);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      throw new InputError(code === 'ENOENT' ? `path not found: ${path}; check the path and try again` : `cannot read ${path} (${code}); check its permissions`);
    }
  }
}

export function runDir(args: ScanArgs & { paths: string[] }, io: CommandIO): Promise<CommandResult> {
  const paths = args.paths.length > 0 ? args.paths : ['.'];
  checkPathsExist(paths, io.cwd);
  const root = scanRoot(paths, io.cwd);
  return runScanCommand('dir', args, io, async ({ filter, maxFileSize }) => ({
    root,
    source: fileSource({ root, paths, cwd: io.cwd, filter, maxFileSize, followSymlinks: args.followSymlinks }),
  }));
}
