// The README is the front door: these checks keep it true as rules and flags change.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/rules/load.js';
import { runCli } from '../helpers/cli.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

describe('README', () => {
  it('lists every built-in rule in the rules table', () => {
    for (const rule of loadRules()) expect(readme, rule.info.id).toContain(`| \`${rule.info.id}\` |`);
  });

  it('documents every option of every command', async () => {
    for (const command of ['dir', 'stdin', 'git', 'staged', 'verify-key', 'rules list', 'rules test', 'workspace sync', 'blast-radius', 'rotate write-key', 'rotate public-api-token', 'audit']) {
      const { stdout } = await runCli([...command.split(' '), '--help']);
      const flags = [...stdout.matchAll(/^\s+(?:-\w, )?(--[a-z][a-z-]*)/gm)].map((m) => m[1] as string);
      expect(flags.length, command).toBeGreaterThan(0);
      for (const flag of flags.filter((f) => !['--help', '--version'].includes(f))) {
        expect(readme, `${command} ${flag}`).toMatch(new RegExp(`(${flag}|--no-${flag.slice(2)})(?![a-z-])`));
      }
    }
  });

  it('walks through the remediation steps after a leak with the commands that do them', () => {
    const section = /^## After a leak\n([\s\S]*?)^## /m.exec(readme)?.[1] ?? '';
    const steps = [...section.matchAll(/^### (\d)\. (.+)$/gm)].map((m) => m[2]);
    expect(steps).toEqual([
      'Find every copy of your own keys (known keys)',
      'See what a leaked key reaches (blast radius)',
      'Revoke and rotate',
      'Audit the exposure window',
      'Deploy the new key and keep scanning',
    ]);
    for (const command of ['segscan workspace sync', '--known-keys', 'segscan blast-radius', 'segscan rotate write-key', 'segscan rotate public-api-token', 'segscan audit', '--apply', '--remove-old']) {
      expect(section, command).toContain(command);
    }
  });

  it('gives the install, scan and test commands of the quick start', () => {
    expect(readme).toMatch(/^npm ci\b/m);
    expect(readme).toMatch(/^npx segscan dir \./m);
    expect(readme).toMatch(/^npm test\b/m);
  });
});
