// Where `.segscan.yaml` is: the nearest one walking up from the scanned path, stopping at the
// repository root (the directory holding .git) or the filesystem root, whichever comes first.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const CONFIG_FILE_NAMES = ['.segscan.yaml', '.segscan.yml'] as const;

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The directory a walk starts from: the path itself, or the directory holding a file path. */
function startDirectory(path: string): string {
  try {
    return statSync(path).isDirectory() ? path : dirname(path);
  } catch {
    return dirname(path);
  }
}

export function findConfigFile(scannedPath: string): string | undefined {
  let dir = startDirectory(resolve(scannedPath));
  for (;;) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(dir, name);
      if (isFile(candidate)) return candidate;
    }
    const parent = dirname(dir);
    if (existsSync(join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}
