// Reading --known-keys FILE (I/O at the edge; parsing is in file.ts).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError } from '../errors.js';
import { knownKeyIndex, parseKnownKeys, type KnownKeyIndex } from './file.js';

export function loadKnownKeys(path: string, cwd: string): { index: KnownKeyIndex; workspace: string; keys: number } {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(
      code === 'ENOENT'
        ? `known-keys file not found: ${path}; write it with segscan workspace sync --token-from-env NAME --output ${path}`
        : `cannot read the known-keys file ${path} (${code}); check its permissions`,
    );
  }
  const file = parseKnownKeys(text, path);
  const index = knownKeyIndex(file);
  return { index, workspace: file.workspace.slug, keys: index.entries.length };
}
