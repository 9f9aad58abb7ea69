// The SARIF output checked by two independent validators: the official SARIF 2.1.0 JSON Schema
// (fixtures/report/sarif-schema-2.1.0.json, the copy Microsoft ships with the SARIF multitool)
// through ajv, and Microsoft's SARIF multitool with its SARIF and GitHub (Gh) rule sets.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, describe, expect, it } from 'vitest';
import { sarifReporter, serialiseSarif } from '../../src/report/sarif.js';
import type { ScanReport } from '../../src/types.js';
import { ALL_SAMPLES, emptyReport, workingTreeReport } from './sampleReports.js';

const redacted = { redact: true, color: false };

const SAMPLES: Array<[string, () => string]> = [
  ...ALL_SAMPLES.map(([name, make]): [string, () => string] => [name, () => sarifReporter(make(), redacted)]),
  ['no findings', () => sarifReporter(emptyReport(), redacted)],
  ['unredacted', () => sarifReporter(workingTreeReport(), { redact: false, color: false })],
  ['truncated to 2 results', () => serialiseSarif(workingTreeReport(), redacted, { maxResults: 2, maxGzipBytes: 10 * 1024 * 1024 })],
  ['scp remote, staged mode', () => {
    const report: ScanReport = { ...workingTreeReport(), mode: 'staged', repository: { root: '/home/dev/project', remoteUrl: 'git@github.com:acme/shop.git' } };
    return sarifReporter(report, redacted);
  }],
];

const URI = /^[a-z][a-z0-9+.-]*:[\x21-\x7e]*$/i;
const URI_REFERENCE = /^[\x21-\x7e]*$/;
const PERCENT_ESCAPES_OK = (s: string): boolean => !/%(?![0-9A-Fa-f]{2})/.test(s);

function sarifSchemaValidator() {
  const schema = JSON.parse(readFileSync(new URL('../../fixtures/report/sarif-schema-2.1.0.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  // The schema uses these formats; ajv-formats is not a dependency, so define them strictly here.
  ajv.addFormat('uri', (s: string) => URI.test(s) && PERCENT_ESCAPES_OK(s) && URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URI_REFERENCE.test(s) && PERCENT_ESCAPES_OK(s) && URL.canParse(s, 'file:///base/'));
  ajv.addFormat('date-time', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?(?:Z|[+-]\d\d:\d\d)$/i);
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
  return ajv.compile(schema);
}

describe('SARIF against the official SARIF 2.1.0 JSON Schema (ajv)', () => {
  const validate = sarifSchemaValidator();

  it.each(SAMPLES)('%s', (_name, make) => {
    const log: unknown = JSON.parse(make());
    validate(log);
    expect(validate.errors ?? [], JSON.stringify(validate.errors, null, 2)).toEqual([]);
  });

  it('rejects an invalid log (control: the validator is really checking)', () => {
    const log = JSON.parse(sarifReporter(workingTreeReport(), redacted)) as { runs: Array<{ results: Array<Record<string, unknown>> }> };
    const result = log.runs[0]?.results[0] ?? {};
    result['level'] = 'critical';
    expect(validate(log)).toBe(false);
    const withSpace = JSON.parse(sarifReporter(workingTreeReport(), redacted)) as typeof log;
    const loc = (withSpace.runs[0]?.results[1]?.['locations'] as Array<{ physicalLocation: { artifactLocation: { uri: string } } }>)[0];
    if (loc) loc.physicalLocation.artifactLocation.uri = 'config/app config.json';
    expect(validate(withSpace)).toBe(false);
  });
});

interface MultitoolOutcome {
  errors: string[];
  console: string;
}

function multitoolBinary(): string {
  const require = createRequire(import.meta.url);
  let binary: string;
  try {
    binary = require('@microsoft/sarif-multitool') as string;
  } catch (error) {
    throw new Error(`@microsoft/sarif-multitool (a devDependency) has no binary for ${process.platform}: ${String(error)}`);
  }
  if (!existsSync(binary)) throw new Error(`SARIF multitool binary missing at ${binary}; reinstall devDependencies`);
  return binary;
}

const workDir = mkdtempSync(join(tmpdir(), 'segscan-sarif-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

/** Runs `validate` and returns the error-level results it wrote (a validation log is itself SARIF). */
function multitoolValidate(name: string, sarif: string): MultitoolOutcome {
  const input = join(workDir, `${name.replace(/[^a-z0-9]+/gi, '-')}.sarif`);
  const output = `${input}.validation.sarif`;
  writeFileSync(input, sarif);
  rmSync(output, { force: true });
  // Spawned directly, not through the package's bin.js: that one runs via a shell, which splits "Gh;Sarif".
  const run = spawnSync(multitoolBinary(), ['validate', '--rule-kind', 'Gh;Sarif', '--output', output, input], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
  });
  const console = `exit ${run.status ?? run.signal}\n${run.stdout ?? ''}${run.stderr ?? ''}${run.error ? `\n${String(run.error)}` : ''}`;
  if (run.status !== 0 || !existsSync(output)) throw new Error(`sarif-multitool validate did not run cleanly on ${input}:\n${console}`);
  const log = JSON.parse(readFileSync(output, 'utf8')) as { runs?: Array<{ results?: Array<{ level?: string; ruleId?: string; message?: { id?: string; text?: string; arguments?: string[] } }> }> };
  const results = log.runs?.flatMap((r) => r.results ?? []) ?? [];
  const errors = results
    .filter((r) => r.level === 'error')
    .map((r) => `${r.ruleId} ${r.message?.text ?? `${r.message?.id} ${JSON.stringify(r.message?.arguments)}`}`);
  return { errors, console };
}

describe('SARIF through Microsoft SARIF multitool (validate --rule-kind "Gh;Sarif")', () => {
  it.each(SAMPLES)('%s has zero errors', (name, make) => {
    const outcome = multitoolValidate(name, make());
    expect(outcome.errors, `multitool reported errors:\n${outcome.errors.join('\n')}\n\nconsole:\n${outcome.console}`).toEqual([]);
  });

  it('reports errors for a broken log (control: the harness reads the tool\'s findings)', () => {
    const log = JSON.parse(sarifReporter(workingTreeReport(), redacted)) as { runs: Array<{ originalUriBaseIds: Record<string, { uri: string }> }> };
    const base = log.runs[0]?.originalUriBaseIds['%SRCROOT%'];
    if (base) base.uri = 'file:///home/dev/project';
    const outcome = multitoolValidate('control-broken', JSON.stringify(log));
    expect(outcome.errors.some((e) => e.startsWith('SARIF1004')), outcome.console).toBe(true);
  });
});
