// Copies a fixture tree into a temporary directory, expanding {{alnum:32}}-style templates with
// generated values, so no realistic key is ever committed. Also collects the expanded secrets,
// for tests that assert no output leaks them.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expandTemplate } from '../../src/rules/templates.js';

export const FIXTURES = fileURLToPath(new URL('../../fixtures/', import.meta.url));

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

export interface ExpandedTree {
  root: string;
  /** Every value a template produced (long enough to be a key). */
  generated: string[];
}

export function expandFixtureTree(fixture: string, seed = fixture.split('/').pop() ?? fixture): ExpandedTree {
  const source = join(FIXTURES, fixture);
  const root = mkdtempSync(join(tmpdir(), 'segscan-fixture-'));
  cpSync(source, root, { recursive: true });
  const generated = new Set<string>();
  for (const file of filesUnder(root)) {
    const path = relative(root, file).split('\\').join('/');
    const text = readFileSync(file, 'utf8');
    if (!text.includes('{{')) continue;
    const expanded = expandTemplate(text, `${seed}:${path}`);
    writeFileSync(file, expanded);
    for (const token of expanded.match(/[A-Za-z0-9_.+/=-]{10,}/g) ?? []) {
      if (!text.includes(token)) generated.add(token);
    }
  }
  return { root, generated: [...generated] };
}

/** A temporary directory holding these files (names may contain subdirectories). */
export function tempDir(files: Record<string, string | Buffer> = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'segscan-test-'));
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
  return root;
}
