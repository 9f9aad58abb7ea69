// Running a command and measuring it: wall time (hrtime around the child), peak RSS of the
// largest process (`/usr/bin/time -f %M`, i.e. the kernel's ru_maxrss over the command and its
// children) and the peak of the summed RSS of the whole process tree (sampled from /proc, since
// `segscan git` runs git children beside node).
import { spawn } from 'node:child_process';
import { existsSync, openSync, closeSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const TIME = '/usr/bin/time';
const PAGE_KB = 4;

export function hasGnuTime() {
  return existsSync(TIME);
}

function parentMap() {
  const children = new Map();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue;
    }
    // Field 4 (ppid) follows the parenthesised command name, which may contain spaces.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    const list = children.get(ppid) ?? [];
    list.push(Number(name));
    children.set(ppid, list);
  }
  return children;
}

function treeRssKb(rootPid) {
  const children = parentMap();
  let total = 0;
  const stack = [rootPid];
  while (stack.length > 0) {
    const pid = stack.pop();
    try {
      total += Number(readFileSync(`/proc/${pid}/statm`, 'latin1').split(' ')[1]) * PAGE_KB;
    } catch {
      // exited between listing and reading
    }
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}

/**
 * Run `command args` (through /usr/bin/time when present). stdout goes to `stdoutFile` (or
 * /dev/null); stderr is kept (last 2 KB) for error messages. Resolves with the figures; never
 * rejects on a non-zero exit (the caller decides which codes are failures).
 */
export function measure(command, args, { cwd, env, stdoutFile, sampleMs = 100 } = {}) {
  const timeFile = join(tmpdir(), `segscan-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`);
  const useTime = hasGnuTime();
  const argv = useTime ? ['-f', '%M', '-o', timeFile, command, ...args] : args;
  const out = openSync(stdoutFile ?? '/dev/null', 'w');
  return new Promise((resolvePromise, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(useTime ? TIME : command, argv, { cwd, env: env ?? process.env, stdio: ['ignore', out, 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => {
      stderr = (stderr + d.toString('utf8')).slice(-2048);
    });
    let peakTreeKb = 0;
    const sample = () => {
      peakTreeKb = Math.max(peakTreeKb, treeRssKb(child.pid));
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
      let maxRssKb;
      if (useTime) {
        try {
          const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
          // GNU time prefixes "Command exited with non-zero status N" on failure.
          maxRssKb = Number(lines[lines.length - 1]);
        } catch {
          maxRssKb = undefined;
        }
        rmSync(timeFile, { force: true });
      }
      resolvePromise({
        exitCode: code ?? (signal ? 128 : 1),
        signal,
        wallMs,
        maxRssMB: maxRssKb === undefined ? undefined : maxRssKb / 1024,
        treeRssMB: peakTreeKb > 0 ? peakTreeKb / 1024 : undefined,
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
