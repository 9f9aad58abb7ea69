// Measuring `--repo` and `--tree` targets: facts first (untimed), one untimed warm-up that pulls
// the content into the page cache, then rounds A B C, A B C, ... of segscan and its baselines.
// Every timed run counts. segscan's last report gives the findings and the bytes it read; the
// baselines' last output gives rg's matching-line counts.
import { readFileSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { measure } from './measure.mjs';
import { sumCounts, summariseRuns } from './realSummary.mjs';
import { dirTasks, historyTasks, schedule } from './realTargets.mjs';
import { repositoryFacts, treeFacts } from './repoFacts.mjs';

const slug = (s) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

async function race(tasks, runs, { workDir, label, log, failures }) {
  const outFile = (task) => join(workDir, `${slug(label)}-${task.key}.out`);
  const runOne = async (task) => {
    const m = await measure(task.command, task.args, { stdoutFile: outFile(task) });
    if (!task.okCodes.includes(m.exitCode)) {
      const failure = `${label}: ${task.name}: exit ${m.exitCode}${m.signal ? ` (${m.signal})` : ''}: ${m.stderr.trim().split('\n').slice(-3).join(' | ')}`;
      if (!failures.includes(failure)) failures.push(failure);
      log(`FAILED ${failure}`);
    }
    return m;
  };
  const warm = tasks[tasks.length - 1];
  log(`${label}: warm-up (untimed): ${warm.name}`);
  await runOne(warm);
  const samples = new Map(tasks.map((t) => [t.key, []]));
  for (const { round, task } of schedule(tasks, runs)) {
    const m = await runOne(task);
    samples.get(task.key).push(m);
    // CPU beyond every core for the whole wall time means the figure is wrong, not fast.
    if (m.cpuMs > m.wallMs * cpus().length * 1.05) log(`warning: ${label}: ${task.name} reported ${(m.cpuMs / 1000).toFixed(2)} s CPU in ${(m.wallMs / 1000).toFixed(2)} s on ${cpus().length} cores`);
    const rss = Object.entries(m.peakRssByNameMB).map(([n, mb]) => `${n} ${mb.toFixed(0)}`).join(', ');
    log(`${label} round ${round + 1}/${runs}: ${task.name} ${(m.wallMs / 1000).toFixed(2)} s, CPU ${((m.cpuMs ?? NaN) / 1000).toFixed(2)} s, peak RSS MiB ${rss}`);
  }
  const summaries = {};
  const counts = {};
  for (const t of tasks) {
    summaries[t.key] = { name: t.name, command: [t.command, ...t.args], ...summariseRuns(samples.get(t.key)) };
    if (t.role === 'baseline') counts[t.key] = sumCounts(readFileSync(outFile(t), 'utf8'));
    rmSync(outFile(t), { force: true });
  }
  return { summaries, counts };
}

function readReport(file, failures) {
  try {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    return { findings: report.findings.length, bytesScanned: report.stats?.bytesScanned, incomplete: report.incomplete };
  } catch (e) {
    failures.push(`cannot read segscan's JSON report ${file}: ${e.message}`);
    return {};
  }
}

export async function benchRepository(target, { node, bin, runs, excludePaths, workDir, log, failures }) {
  log(`${target.name}: reading repository facts of ${target.path}`);
  const facts = repositoryFacts(target.path);
  log(`${target.name}: ${facts.commits} commits, ${facts.refs} refs, ${facts.reachableBlobMB.toFixed(0)} MB of reachable blobs, ${facts.packMB.toFixed(0)} MB packed`);
  const report = join(workDir, `${slug(target.name)}-segscan.json`);
  rmSync(report, { force: true });
  const tasks = historyTasks({ node, bin, repo: target.path, report, excludePaths });
  const { summaries, counts } = await race(tasks, runs, { workDir, label: target.name, log, failures });
  const r = readReport(report, failures);
  return {
    kind: 'history',
    name: target.name,
    path: target.path,
    excludePaths,
    facts: { ...facts, findings: r.findings, blobMBRead: r.bytesScanned === undefined ? undefined : r.bytesScanned / 1e6, incomplete: r.incomplete, rgMatchingLines: counts },
    tasks: summaries,
  };
}

export async function benchTreeTarget(target, { node, bin, runs, workDir, log, failures }) {
  const facts = treeFacts(target.path);
  log(`${target.name}: ${facts.files} files, ${(facts.bytes / 1e6).toFixed(0)} MB${facts.hasSkipped ? '; holds node_modules/ or .git/: segscan is told to read them, as rg -uuu does' : ''}`);
  const report = join(workDir, `${slug(target.name)}-segscan-dir.json`);
  rmSync(report, { force: true });
  const tasks = dirTasks({ node, bin, tree: target.path, report, hasSkipped: facts.hasSkipped });
  const { summaries, counts } = await race(tasks, runs, { workDir, label: target.name, log, failures });
  const r = readReport(report, failures);
  return { kind: 'dir', name: target.name, path: target.path, facts: { ...facts, findings: r.findings, bytesScanned: r.bytesScanned, incomplete: r.incomplete, rgMatchingLines: counts }, tasks: summaries };
}
