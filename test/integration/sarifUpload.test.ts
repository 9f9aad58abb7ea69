// The SARIF file `segscan git` writes for a repository with keys both in the working tree and only
// in history, checked against GitHub code scanning's upload rules: at most 20 runs, at most 5,000
// results per run (the most severe kept, a notification saying how many were dropped), under 10 MB
// gzipped, no duplicate rule ids, every result with a location; and Microsoft's SARIF multitool
// (`validate --rule-kind "Gh;Sarif"`) reports no error.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { createTestRepo, removeTempDirs, type TestRepo } from '../helpers/gitRepo.js';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  locations?: Array<{ physicalLocation?: { artifactLocation?: { uri?: string; uriBaseId?: string }; region?: { startLine?: number; startColumn?: number; endLine?: number; endColumn?: number } } }>;
  partialFingerprints?: Record<string, string>;
  properties?: Record<string, unknown>;
}
interface SarifLog {
  version: string;
  runs: Array<{
    tool: { driver: { rules: Array<{ id: string; properties?: { 'security-severity'?: string } }> } };
    automationDetails: { id: string };
    versionControlProvenance?: Array<{ revisionId?: string }>;
    invocations: Array<{ toolExecutionNotifications: Array<{ descriptor: { id: string }; message: { text: string } }> }>;
    results: SarifResult[];
  }>;
}

const BROWSER_KEYS = 5_100;
const HISTORY_TOKENS = 40;

let repo: TestRepo;
let secrets: string[] = [];
let sarifText = '';
let log: SarifLog;
let exitCode = -1;

beforeAll(async () => {
  repo = createTestRepo();
  const tokens = Array.from({ length: HISTORY_TOKENS }, (_, i) => fakeCredentials(`sarif-history-${i}`).publicApiToken);
  repo.write('ops/old-tokens.env', tokens.map((t, i) => `SEGMENT_PUBLIC_API_TOKEN_${i}=${t}\n`).join(''));
  repo.commit('tokens');
  repo.remove('ops/old-tokens.env');
  repo.commit('remove tokens');
  const writeKeys = Array.from({ length: BROWSER_KEYS }, (_, i) => fakeCredentials(`sarif-browser-${i}`).writeKey);
  // 850 keys per file: under the 1,000 findings a file may report (scan.ts MAX_FINDINGS_PER_FILE).
  for (let part = 0; part * 850 < BROWSER_KEYS; part++) {
    const slice = writeKeys.slice(part * 850, (part + 1) * 850);
    repo.write(`web/site-${part}.js`, slice.map((k) => `analytics.load("${k}");\n`).join(''));
  }
  repo.commit('snippets');
  secrets = [...tokens, ...writeKeys];
  const result = await runCli(['git', '.', '--format', 'sarif', '--output', 'segscan.sarif'], { cwd: repo.dir });
  exitCode = result.exitCode;
  sarifText = readFileSync(join(repo.dir, 'segscan.sarif'), 'utf8');
  log = JSON.parse(sarifText) as SarifLog;
}, 300_000);
afterAll(removeTempDirs);

describe('SARIF from a history scan with more findings than GitHub accepts', () => {
  it('has one run, at most 5,000 results, and says how many were left out', () => {
    expect(exitCode).toBe(1);
    expect(log.version).toBe('2.1.0');
    expect(log.runs.length).toBeLessThanOrEqual(20);
    expect(log.runs).toHaveLength(1);
    const run = log.runs[0];
    expect(run?.results).toHaveLength(5_000);
    const notices = run?.invocations.flatMap((i) => i.toolExecutionNotifications) ?? [];
    const dropped = notices.find((n) => n.descriptor.id === 'segscan/results-truncated');
    expect(dropped?.message.text).toContain(`${BROWSER_KEYS + HISTORY_TOKENS - 5_000} of ${BROWSER_KEYS + HISTORY_TOKENS} findings`);
  });

  it('keeps every history-only critical token and drops only low-severity results', () => {
    const run = log.runs[0];
    const severity = new Map(run?.tool.driver.rules.map((r) => [r.id, Number(r.properties?.['security-severity'])]));
    const results = run?.results ?? [];
    const history = results.filter((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri === 'ops/old-tokens.env');
    expect(history).toHaveLength(HISTORY_TOKENS);
    expect(new Set(history.map((r) => r.ruleId))).toEqual(new Set(['segment-public-api-token']));
    const working = results.filter((r) => r.locations?.[0]?.physicalLocation?.artifactLocation?.uri?.startsWith('web/'));
    expect(working).toHaveLength(5_000 - HISTORY_TOKENS);
    const kept = Math.min(...results.map((r) => severity.get(r.ruleId) ?? 0));
    expect(kept).toBeLessThan(severity.get('segment-public-api-token') ?? 0);
  });

  it('has unique rule ids, only rules that fired, and a full location on every result', () => {
    const run = log.runs[0];
    const ids = run?.tool.driver.rules.map((r) => r.id) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    const used = new Set(run?.results.map((r) => r.ruleId));
    expect(new Set(ids)).toEqual(used);
    for (const r of run?.results ?? []) {
      expect(ids[r.ruleIndex]).toBe(r.ruleId);
      const location = r.locations?.[0]?.physicalLocation;
      expect(location?.artifactLocation?.uri).toMatch(/^[^/]/);
      expect(location?.artifactLocation?.uriBaseId).toBe('%SRCROOT%');
      expect(location?.region?.startLine).toBeGreaterThan(0);
      expect(location?.region?.startColumn).toBeGreaterThan(0);
      expect(r.partialFingerprints?.['segscan/location/v1']).toMatch(/^[0-9a-f]{16}:\d+$/);
      // codeql-action's upload fills primaryLocationLineHash from the file itself; one already
      // there that differs (as any segscan could write would) is a warning per result.
      expect(r.partialFingerprints?.primaryLocationLineHash).toBeUndefined();
    }
    expect(run?.automationDetails.id).toBe('segscan/git/');
    expect(run?.versionControlProvenance?.[0]?.revisionId).toBe(repo.rev());
  });

  it('is under 10 MB gzipped and holds no secret', () => {
    expect(gzipSync(sarifText).length).toBeLessThan(10 * 1024 * 1024);
    const leaked = secrets.filter((s) => sarifText.includes(s));
    expect(leaked).toEqual([]);
  });

  it("passes Microsoft's SARIF multitool with the GitHub rule set", () => {
    const binary = createRequire(import.meta.url)('@microsoft/sarif-multitool') as string;
    expect(existsSync(binary)).toBe(true);
    const output = join(repo.dir, 'validation.sarif');
    // Spawned directly, not through the package's bin.js (a shell would split "Gh;Sarif").
    const run = spawnSync(binary, ['validate', '--rule-kind', 'Gh;Sarif', '--output', output, join(repo.dir, 'segscan.sarif')], {
      encoding: 'utf8',
      timeout: 240_000,
      env: { ...process.env, DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1' },
    });
    expect(run.status, `${run.stdout}${run.stderr}`).toBe(0);
    const validation = JSON.parse(readFileSync(output, 'utf8')) as { runs: Array<{ results?: Array<{ level?: string; ruleId?: string; message?: { text?: string } }> }> };
    const errors = validation.runs.flatMap((r) => r.results ?? []).filter((r) => r.level === 'error').map((r) => `${r.ruleId} ${r.message?.text ?? ''}`);
    expect(errors).toEqual([]);
  }, 300_000);
});
