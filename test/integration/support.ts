// Shared pieces of the integration tests: temporary trees, generated keys, the JSON report shape,
// and the check that a fatal error is one line (exit 2) naming what is wrong.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { CommandResult } from '../../src/cli.js';
import { fakeCredentials } from '../../src/rules/templates.js';

export interface JsonFinding {
  ruleId: string;
  path: string;
  start: { line: number; column: number };
  secret: string;
  secretHash: string;
  fingerprint: string;
  commit?: { sha: string };
  verification?: { status: string };
}

export interface JsonReport {
  mode: string;
  findings: JsonFinding[];
  skipped: Array<{ path: string; reason: string }>;
  staleBaseline?: string[];
}

const made: string[] = [];

/** A temporary directory holding `files` (names may contain subdirectories); see removeTrees. */
export function makeTree(files: Record<string, string> = {}, prefix = 'segscan-int-'): string {
  const root = mkdtempSync(join(tmpdir(), prefix));
  made.push(root);
  writeTree(root, files);
  return root;
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [name, content] of Object.entries(files)) {
    const path = join(root, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

export function removeTrees(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A generated write key in an env-file line, as `.env` files hold them. */
export function envKey(seed: string): { line: string; secret: string } {
  const secret = fakeCredentials(seed).writeKey;
  return { line: `SEGMENT_WRITE_KEY=${secret}\n`, secret };
}

export function parseReport(result: CommandResult): JsonReport {
  try {
    return JSON.parse(result.stdout) as JsonReport;
  } catch {
    throw new Error(`not a JSON report (exit ${result.exitCode}):\n${result.stdout}\n${result.stderr}`);
  }
}

/** A fatal error: exit 2, nothing on stdout, and exactly one line on stderr containing every `parts`. */
export function expectOneLineError(result: CommandResult, ...parts: string[]): string {
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stdout).toBe('');
  const lines = result.stderr.split('\n').filter((l) => l !== '');
  expect(lines, result.stderr).toHaveLength(1);
  const line = lines[0] ?? '';
  expect(line).toMatch(/^segscan: error: /);
  for (const part of parts) expect(line).toContain(part);
  return line;
}
