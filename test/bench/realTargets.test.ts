// `npm run bench -- --repo PATH --tree PATH`: the targets it parses, the exact commands it races
// segscan against, the order it runs them in, and the figures and tables it builds from runs.
// No timing is asserted: the samples here are made up.
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseTimeOutput } from '../../bench/lib/measure.mjs';
import { dirTable, formatSpread, historyTable, spread, sumCounts, summariseRuns, targetRatios } from '../../bench/lib/realSummary.mjs';
import { countPipeline, dirTasks, historyTasks, parseTargets, SCAN_PATTERN, schedule, targetName, TargetError } from '../../bench/lib/realTargets.mjs';

const hasRg = spawnSync('rg', ['--version']).status === 0;

describe('bench targets', () => {
  it('names repositories and trees by their last segment, without .git, unique within their kind', () => {
    expect(targetName('/r/express.git')).toBe('express');
    expect(targetName('/r/analytics.js.git/')).toBe('analytics.js');
    expect(targetName('/src/app/.git')).toBe('app');
    const t = parseTargets({ repo: ['/a/express.git', '/b/express', '/c/lodash.git'], tree: ['/t/express'] });
    expect(t.history.map((x) => x.name)).toEqual(['express', 'express-2', 'lodash']);
    expect(t.history[1]?.path).toBe('/b/express');
    expect(t.dir).toEqual([{ name: 'express', path: '/t/express' }]);
    expect(parseTargets({})).toEqual({ history: [], dir: [], excludePaths: [] });
  });

  it('refuses empty paths and exclude paths that are not literal relative paths', () => {
    expect(() => parseTargets({ repo: [''] })).toThrow(TargetError);
    for (const bad of ['*.tif', '/abs/file', '../up', 'a/../b', ':(glob)x']) expect(() => parseTargets({ excludePath: [bad] }), bad).toThrow(TargetError);
    expect(parseTargets({ excludePath: ['activestorage/test/fixtures/files/racecar.tif'] }).excludePaths).toEqual(['activestorage/test/fixtures/files/racecar.tif']);
  });
});

describe('bench commands', () => {
  const base = { node: '/usr/bin/node', bin: '/x/dist/bin.js', repo: "/r/it's.git", report: '/tmp/r.json' };

  it('uses the pattern of issue 20 exactly', () => {
    expect(SCAN_PATTERN).toBe('sgp_[A-Za-z0-9]{64}|sg_[A-Za-z0-9]{16,32}|(?i:segment)|writeKey|write_key|analytics\\.load');
  });

  it('races a full-history segscan scan against git log -p and cat-file, both piped to rg -c', () => {
    const [own, log, cat] = historyTasks(base);
    expect(own?.args).toEqual(['/x/dist/bin.js', 'git', "/r/it's.git", '--format', 'json', '--output', '/tmp/r.json', '--quiet']);
    expect(own?.okCodes).toEqual([0, 1]); // 1: findings reported
    const quoted = `'${SCAN_PATTERN}'`;
    expect(log?.args[1]).toContain(`git -C '/r/it'\\''s.git' log -p -U0 --all | rg -c ${quoted};`);
    expect(cat?.args[1]).toContain(`git -C '/r/it'\\''s.git' cat-file --batch-all-objects --batch | rg -c ${quoted};`);
    expect([own, log, cat].map((t) => t?.key)).toEqual(['segscan', 'gitlog', 'catfile']);
  });

  it('leaves excluded paths out of segscan and git log alike, keeping every commit of every ref', () => {
    const [own, log, cat] = historyTasks({ ...base, excludePaths: ['a/b.tif'] });
    expect(own?.args.slice(-2)).toEqual(['--exclude', 'a/b.tif']);
    expect(log?.args[1]).toContain("log -p -U0 --all --full-history -- . ':(exclude,literal)a/b.tif' | rg -c");
    expect(cat?.args[1]).not.toContain('exclude');
  });

  it('races segscan dir against rg -uuu -c, telling segscan to read node_modules and .git when the tree has them', () => {
    const [own, rg] = dirTasks({ node: 'node', bin: 'bin.js', tree: '/t', report: '/tmp/d.json', hasSkipped: false });
    expect(own?.args).toEqual(['bin.js', 'dir', '/t', '--format', 'json', '--output', '/tmp/d.json', '--quiet']);
    expect(rg?.command).toBe('rg');
    expect(rg?.args).toEqual(['-uuu', '-c', SCAN_PATTERN, '/t']);
    const [withSkipped] = dirTasks({ node: 'node', bin: 'bin.js', tree: '/t', report: '/tmp/d.json', hasSkipped: true });
    expect(withSkipped?.args.slice(8)).toEqual(['--include', '**', '--include', '**/node_modules/**', '--include', '**/.git/**']);
  });

  it('runs rounds A B C, A B C', () => {
    const order = schedule([{ key: 'a' }, { key: 'b' }, { key: 'c' }], 2).map((s) => `${s.round}${s.task.key}`);
    expect(order).toEqual(['0a', '0b', '0c', '1a', '1b', '1c']);
  });

  it.skipIf(!hasRg)('counts with rg, treats "no match" as success and a failed producer as failure', () => {
    const run = (producer: string) => spawnSync('bash', ['-c', countPipeline(producer)], { encoding: 'utf8' });
    const matched = run("printf 'analytics.load(x)\\nnothing\\nSEGMENT\\n'");
    expect([matched.status, matched.stdout.trim()]).toEqual([0, '2']);
    const clean = run("printf 'nothing here\\n'");
    expect([clean.status, clean.stdout.trim()]).toEqual([0, '']); // rg -c prints nothing and exits 1
    expect(run('printf "segment\\n"; exit 3').status).not.toBe(0);
  });
});

describe('bench figures', () => {
  const sample = (wallMs: number, cpuMs: number, own: number, byName: Record<string, number>) => ({ wallMs, cpuMs, ownPeakRssMB: own, peakRssByNameMB: byName, maxRssMB: own, treeRssMB: own + 10, cpuSource: 'gnu-time' });

  it('gives median and spread, ignoring runs without a figure', () => {
    expect(spread([3, 1, 2])).toEqual({ median: 2, min: 1, max: 3, runs: 3 });
    expect(spread([4, 1, undefined, 2, 3])).toEqual({ median: 2.5, min: 1, max: 4, runs: 4 });
    expect(spread([]).median).toBeUndefined();
    expect(formatSpread(spread([1500, 1000, 2000]))).toBe('1.50 (1.00-2.00)');
    expect(formatSpread(spread([1500]))).toBe('1.50');
  });

  it('takes each process name its peak over all runs, and ratios of medians', () => {
    const segscan = summariseRuns([sample(4000, 6000, 150, { git: 40 }), sample(5000, 7000, 160, { git: 30 }), sample(6000, 8000, 140, { git: 50 })]);
    expect(segscan.ownPeakRssMB).toBe(160);
    expect(segscan.peakRssByNameMB).toEqual({ git: 50 });
    const gitlog = summariseRuns([sample(2000, 3000, 3, { git: 90, rg: 6 }), sample(3000, 3500, 3, { git: 80, rg: 7 })]);
    const ratios = targetRatios({ segscan, gitlog });
    expect(ratios.gitlog?.wall).toBeCloseTo(5000 / 2500);
    expect(ratios.gitlog?.cpu).toBeCloseTo(7000 / 3250);
  });

  it('prints one history row per repository and one dir row per tree', () => {
    const one = (w: number, c: number, own: number, byName: Record<string, number>) => summariseRuns([sample(w, c, own, byName)]);
    const history = historyTable([
      {
        name: 'express',
        facts: { commits: 6413, blobMBRead: 154.2, findings: 0 },
        tasks: { segscan: one(2000, 5000, 210, { git: 40 }), gitlog: one(1000, 2000, 3, { git: 86, rg: 6 }), catfile: one(500, 600, 3, { git: 90, rg: 6 }) },
      },
    ]);
    const row = history.split('\n')[2] ?? '';
    expect(row.split(/\s{2,}/)).toEqual(['express', '6,413', '154', '0', '2.00', '1.00', '2.00', '0.50', '4.00', '5.00', '2.00', '0.60', '2.50 / 8.33', '210 / 86 / 6']);
    const dir = dirTable([{ name: 'npm-tree', facts: { files: 21169, bytes: 499e6, findings: 3 }, tasks: { segscan: one(9000, 12000, 140, {}), rg: one(1000, 1500, 3, { rg: 37 }) } }]);
    expect((dir.split('\n')[2] ?? '').split(/\s{2,}/)).toEqual(['npm-tree', '21,169', '499', '3', '9.00', '1.00', '9.00', '12.00', '1.50', '8.00', '140 / 37']);
  });

  it("sums rg -c's counts from stdin and from a tree", () => {
    expect(sumCounts('42\n')).toBe(42);
    expect(sumCounts('/t/a.js:3\n/t/dir:with:colons.js:4\n')).toBe(7);
    expect(sumCounts('')).toBe(0);
  });

  it("reads GNU time's peak RSS and user+sys CPU, also after a failure line", () => {
    expect(parseTimeOutput('304400 7.46 0.49\n')).toEqual({ maxRssKb: 304400, cpuMs: 7950 });
    expect(parseTimeOutput('Command exited with non-zero status 1\n1024 0.10 0.02\n')?.maxRssKb).toBe(1024);
    expect(parseTimeOutput('garbage')).toBeUndefined();
  });
});
