// `segscan rules list` and `segscan rules test [dir]`.
import { resolve } from 'node:path';
import { createEngine } from '../engine/detect.js';
import { runRuleExamples } from '../rules/exampleRunner.js';
import { loadRules, readRuleDirectory } from '../rules/load.js';
import { EXIT } from '../errors.js';
import type { CommandIO, CommandResult } from './io.js';

export function runRulesList(args: { rules: string[]; format: string }, io: CommandIO): Promise<CommandResult> {
  const rules = loadRules({ extraDirs: args.rules.map((d) => resolve(io.cwd, d)) });
  if (args.format === 'json') {
    const list = rules.map((r) => ({ ...r.info, keywords: r.keywords }));
    return Promise.resolve({ exitCode: EXIT.clean, stdout: `${JSON.stringify(list, null, 2)}\n`, stderr: '' });
  }
  const idWidth = Math.max(...rules.map((r) => r.info.id.length), 2);
  const lines = rules.map((r) => `${r.info.id.padEnd(idWidth)}  ${r.info.severity.padEnd(8)}  ${r.info.kind.padEnd(16)}  ${r.info.title}`);
  const header = `${'ID'.padEnd(idWidth)}  ${'SEVERITY'}  ${'KIND'.padEnd(16)}  TITLE`;
  return Promise.resolve({ exitCode: EXIT.clean, stdout: `${header}\n${lines.join('\n')}\n${rules.length} rules\n`, stderr: '' });
}

export function runRulesTest(args: { dir?: string; rules: string[]; disableRule?: string[] }, io: CommandIO): Promise<CommandResult> {
  const extraDirs = [...(args.dir ? [args.dir] : []), ...args.rules].map((d) => resolve(io.cwd, d));
  const rules = loadRules({ extraDirs, disabled: args.disableRule ?? [] });
  const engine = createEngine(rules);
  // With a directory, only its rules are tested (the built-ins still take part in overlaps).
  const tested = args.dir ? new Set(readRuleDirectory(resolve(io.cwd, args.dir)).map((f) => f.file)) : undefined;
  const run = runRuleExamples(engine, tested ? rules.filter((r) => tested.has(r.info.file)) : rules);
  const failures = run.failures.map((f) => `FAIL ${f.file} ${f.ruleId} examples.${f.list}[${f.index}]: ${f.problem}\n     ${f.example.split('\n')[0]}`);
  const summary = `${run.examples - run.failures.length} passed, ${run.failures.length} failed (${run.rules} rules)`;
  return Promise.resolve({
    exitCode: run.failures.length > 0 ? EXIT.findings : EXIT.clean,
    stdout: `${failures.length > 0 ? `${failures.join('\n')}\n` : ''}${summary}\n`,
    stderr: '',
  });
}
