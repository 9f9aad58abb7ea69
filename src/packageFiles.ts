// Files that ship with segscan (package.json, rules/, the rule cache, the worker script), found
// from the package's root. The code runs from several places: src/ under the tests, tsc's modules
// in dist/, and the bundled CLI (dist/bin.js and its chunks in dist/chunks/). A fixed number of
// `..` from this file would be right in some of them only, so the root is the nearest directory
// above this module that holds a package.json (neither src/ nor dist/ has one).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

function packageRoot(): string {
  if (root !== undefined) return root;
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return (root = dir);
    if (dirname(dir) === dir) throw new Error(`segscan's package.json was not found above ${start}: reinstall segscan`);
  }
}

/** A path inside the package, e.g. `packageFile('rules')`. */
export function packageFile(...segments: string[]): string {
  return join(packageRoot(), ...segments);
}
