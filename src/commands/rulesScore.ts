// `segscan rules score CORPUS`: scan a labelled corpus (files, plus a truth file of the lines that
// hold credentials) and print recall per kind and per form, every miss and every false positive.
// One command to rerun the real-world evaluation after a rule change.
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readSmallFile } from '../config/smallFile.js';
import { createEngine } from '../engine/detect.js';
import { EXIT, InputError, UsageError } from '../errors.js';
import { loadRules } from '../rules/load.js';
import { describeScore, parseTruth, scoreFindings } from '../rules/score.js';
import { scanSource } from '../scan.js';
import { fileSource } from '../sources/files.js';
import { createPathFilter } from '../sources/pathFilter.js';
import type { CommandIO, CommandResult } from './io.js';
import { toolVersion } from './version.js';

export interface RulesScoreArgs {
  corpus: string;
  truth?: string;
  rules: string[];
  format: string;
  minRecall?: number;
  maxFalsePositives?: number;
}

const MAX_TRUTH_BYTES = 16 * 1024 * 1024;

export async function runRulesScore(args: RulesScoreArgs, io: CommandIO): Promise<CommandResult> {
  const corpus = resolve(io.cwd, args.corpus);
  if (!existsSync(corpus) || !statSync(corpus).isDirectory()) throw new InputError(`corpus not found: ${args.corpus}; pass a directory holding files/ and truth.tsv`);
  const files = existsSync(join(corpus, 'files')) ? join(corpus, 'files') : corpus;
  const truthPath = args.truth === undefined ? join(corpus, 'truth.tsv') : resolve(io.cwd, args.truth);
  const read = readSmallFile(truthPath, MAX_TRUTH_BYTES);
  if (!read.ok) throw new InputError(`cannot read the truth file ${truthPath}; pass --truth FILE (path<TAB>line<TAB>kind per credential line)`);
  const truth = parseTruth(read.text, truthPath);
  if (args.minRecall !== undefined && !(args.minRecall >= 0 && args.minRecall <= 100)) throw new UsageError('--min-recall is a percentage from 0 to 100');

  const rules = loadRules({ extraDirs: args.rules.map((d) => resolve(io.cwd, d)) });
  const engine = createEngine(rules);
  // Everything in the corpus is scanned: no default excludes, no size limit, no config.
  const source = fileSource({ root: files, paths: [files], cwd: io.cwd, filter: createPathFilter({ skipNodeModules: false }), maxFileSize: Number.POSITIVE_INFINITY });
  const report = await scanSource(source, engine, { mode: 'dir', root: files, version: toolVersion(), ...(io.signal ? { signal: io.signal } : {}) });
  const info = new Map(rules.map((r) => [r.info.id, r.info]));
  const score = scoreFindings(truth, report.findings, (id) => info.get(id));

  const recall = score.total.lines === 0 ? 100 : (100 * score.total.found) / score.total.lines;
  const failed = (args.minRecall !== undefined && recall < args.minRecall) || (args.maxFalsePositives !== undefined && score.falsePositives.length > args.maxFalsePositives);
  const stdout = args.format === 'json' ? `${JSON.stringify({ ...score, files: report.stats.filesScanned }, null, 2)}\n` : describeScore(score);
  return { exitCode: failed ? EXIT.findings : EXIT.clean, stdout, stderr: '' };
}
