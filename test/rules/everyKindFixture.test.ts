// fixtures/rules/every-kind is the tree the CLI end-to-end tests scan: one file per credential
// form plus clean look-alikes, with {{…}} templates instead of keys and expected.json listing the
// findings. This checks the tree against the engine directly, so the fixture can't drift.
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { expandTemplate } from '../../src/rules/templates.js';
import { builtinEngine } from '../helpers/engine.js';

const ROOT = fileURLToPath(new URL('../../fixtures/rules/every-kind/', import.meta.url));

interface Expected {
  ruleId: string;
  path: string;
  line: number;
  column: number;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = join(dir, e.name);
    return e.isDirectory() ? files(full) : [relative(ROOT, full).split('\\').join('/')];
  });
}

const engine = builtinEngine();
const expected = JSON.parse(readFileSync(join(ROOT, 'expected.json'), 'utf8')) as Expected[];
// Plain code-unit order for paths, so the order does not depend on the locale.
const order = (a: Expected, b: Expected) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column;

function scan(expand: (text: string, path: string) => string): Expected[] {
  return files(ROOT)
    .flatMap((path) => {
      const text = expand(readFileSync(join(ROOT, path), 'utf8'), path);
      return engine.detect({ text, path, startLine: 1 }).map((f) => ({ ruleId: f.ruleId, path: f.path, line: f.start.line, column: f.start.column }));
    })
    .sort(order);
}

describe('fixtures/rules/every-kind', () => {
  it('expected.json is sorted by path, line and column', () => {
    expect([...expected].sort(order)).toEqual(expected);
  });

  for (const seed of ['every-kind', 'another-seed']) {
    it(`produces exactly the findings in expected.json (templates expanded with seed "${seed}")`, () => {
      expect(scan((text, path) => expandTemplate(text, `${seed}:${path}`))).toEqual(expected);
    });
  }

  it('covers every built-in rule', () => {
    const covered = new Set(expected.map((e) => e.ruleId));
    expect(engine.rules.map((r) => r.info.id).filter((id) => !covered.has(id))).toEqual([]);
  });

  it('holds templates, never keys: the unexpanded tree has no finding', () => {
    expect(scan((text) => text)).toEqual([]);
  });
});
