// Running a command and measuring it: wall time (hrtime around the child); CPU time (user+sys)
// and the peak RSS of the largest process from `/usr/bin/time -f '%M %U %S'` (the kernel's
// rusage over the command and every child it waited for); and, sampled from /proc, the peak of
// the summed RSS of the whole process tree plus each process name's own peak (VmHWM), because
// `segscan git` runs git children beside node and a pipeline runs git beside rg, and the figure
// that matters is each one's, not the largest's.
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';
const PAGE_KB = 4;
const TICKS_PER_MS = 100 / 1000; // USER_HZ: /proc/<pid>/stat counts CPU time in 1/100 s

export function hasGnuTime() {
  return existsSync(TIME);
}

/** `/proc/<pid>/stat` after the parenthesised name (which may hold spaces): fields 3 onwards. */
function statFields(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
  return { name: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), rest: stat.slice(stat.lastIndexOf(')') + 2).split(' ') };
}

/**
 * The pids below `rootPid`. Parents are remembered per pid, so each sample reads the stat file of
 * new processes only: sampling every 100 ms must not take CPU from the 2-core machine it measures.
 */
function treeWalker(rootPid) {
  const parents = new Map();
  return () => {
    const alive = new Set();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const pid = Number(name);
      alive.add(pid);
      if (parents.has(pid)) continue;
      try {
        parents.set(pid, Number(statFields(pid).rest[1]));
      } catch {
        // exited between listing and reading
      }
    }
    for (const pid of parents.keys()) if (!alive.has(pid)) parents.delete(pid);
    const children = new Map();
    for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    const tree = [];
    const stack = [rootPid];
    while (stack.length > 0) {
      const pid = stack.pop();
      tree.push(pid);
      stack.push(...(children.get(pid) ?? []));
    }
    return tree;
  };
}

/** One process's name, RSS and peak RSS (kB), and CPU ticks including reaped children. */
function processFigures(pid) {
  try {
    const { name, rest } = statFields(pid);
    const status = readFileSync(`/proc/${pid}/status`, 'latin1');
    const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
    // rest[11..14] are utime, stime, cutime, cstime (fields 14-17 of proc(5)).
    const ticks = Number(rest[11]) + Number(rest[12]) + Number(rest[13]) + Number(rest[14]);
    return { name, rssKb: kb('VmRSS') || Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * PAGE_KB, hwmKb: kb('VmHWM'), ticks };
  } catch {
    return undefined; // exited, or a kernel thread without a status
  }
}

/** Parse GNU time's `%M %U %S` line (the last line: a failure adds a line before it). */
export function parseTimeOutput(text) {
  const lines = text.trim().split('\n');
  const m = /^(\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/.exec(lines[lines.length - 1] ?? '');
  if (!m) return undefined;
  return { maxRssKb: Number(m[1]), cpuMs: (Number(m[2]) + Number(m[3])) * 1000 };
}

/**
 * Run `command args` (through /usr/bin/time when present). stdout goes to `stdoutFile` (or
 * /dev/null); stderr is kept (last 2 KB) for error messages. Resolves with the figures; never
 * rejects on a non-zero exit (the caller decides which codes are failures). Without GNU time,
 * CPU time is the largest sum seen while sampling (a lower bound: the last interval is lost).
 */
export function measure(command, args, { cwd, env, stdoutFile, sampleMs = 100 } = {}) {
  const timeFile = join(tmpdir(), `segscan-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const useTime = hasGnuTime();
  const argv = useTime ? ['-f', '%M %U %S', '-o', timeFile, command, ...args] : args;
  const out = openSync(stdoutFile ?? '/dev/null', 'w');
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(useTime ? TIME : command, argv, { cwd, env: env ?? process.env, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString('utf8')).slice(-2048);
    });
    const walk = treeWalker(child.pid);
    let peakTreeKb = 0;
    let peakTicks = 0;
    const peakByName = {};
    // The command's own process: the child itself, or GNU time's child when time wraps it.
    let ownPid = useTime ? undefined : child.pid;
    let ownPeakKb = 0;
    const sample = () => {
      let total = 0;
      let ticks = 0;
      const tree = walk();
      if (ownPid === undefined) ownPid = tree[1];
      for (const pid of tree) {
        const f = processFigures(pid);
        if (!f) continue;
        if (pid === ownPid) ownPeakKb = Math.max(ownPeakKb, f.hwmKb);
        total += f.rssKb;
        ticks += f.ticks;
        // GNU time itself is the root when present: its own few MB are not the command's.
        if (!(useTime && pid === child.pid)) peakByName[f.name] = Math.max(peakByName[f.name] ?? 0, f.hwmKb);
      }
      peakTreeKb = Math.max(peakTreeKb, total);
      peakTicks = Math.max(peakTicks, ticks);
    };
    const timer = setInterval(sample, sampleMs);
    child.on('error', (e) => {
      clearInterval(timer);
      closeSync(out);
      reject(e);
    });
    child.on('close', (code, signal) => {
      const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
      clearInterval(timer);
      closeSync(out);
      let timed;
      if (useTime) {
        try {
          timed = parseTimeOutput(readFileSync(timeFile, 'utf8'));
        } catch {
          timed = undefined;
        }
        rmSync(timeFile, { force: true });
      }
      const mb = (kb) => kb / 1024;
      resolvePromise({
        exitCode: code ?? (signal ? 128 : 1),
        signal,
        wallMs,
        maxRssMB: timed === undefined ? undefined : mb(timed.maxRssKb),
        treeRssMB: peakTreeKb > 0 ? mb(peakTreeKb) : undefined,
        cpuMs: timed?.cpuMs ?? (peakTicks > 0 ? peakTicks / TICKS_PER_MS : undefined),
        cpuSource: timed ? 'gnu-time' : 'proc-sampled',
        ownPeakRssMB: ownPeakKb > 0 ? mb(ownPeakKb) : undefined,
        peakRssByNameMB: Object.fromEntries(Object.entries(peakByName).map(([name, kb]) => [name, mb(kb)])),
        stderr,
      });
    });
  });
}

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export function maxOf(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length === 0 ? undefined : Math.max(...v);
}
