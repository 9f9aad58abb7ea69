// Benchmarking on repositories and trees people wrote (`--repo PATH`, `--tree PATH`): which
// targets to measure and the exact commands to race, as data. Pure: run.mjs checks the paths
// exist, runs the commands and reads the reports.
//
// The baselines are the cheapest honest way to search the same content with ripgrep, with one
// pattern that covers what segscan looks for (its key shapes and its commonest keywords). They
// are never made easier than this: every ref, every object, every file `rg -uuu` reads.
import { shellQuote } from './rgPattern.mjs';

/** The ripgrep pattern of issue 20, exactly: key shapes plus the keywords that gate real code. */
export const SCAN_PATTERN = 'sgp_[A-Za-z0-9]{64}|sg_[A-Za-z0-9]{16,32}|(?i:segment)|writeKey|write_key|analytics\\.load';

export class TargetError extends Error {}

/** A repository's or tree's display name: its last path segment without `.git`. */
export function targetName(path) {
  const segments = path.replace(/\/+$/, '').split('/');
  const last = segments[segments.length - 1] ?? '';
  const name = last === '.git' ? (segments[segments.length - 2] ?? last) : last.replace(/\.git$/, '');
  return name === '' ? path : name;
}

/**
 * `--repo` and `--tree` values (each repeatable) -> targets with names unique within their
 * kind (a second `express` becomes `express-2`), in the order given. `excludePaths` are literal
 * repository-relative paths left out of history scans by every tool alike (for a clone missing
 * a few blobs, which git log -p and segscan both refuse to read past).
 */
export function parseTargets({ repo = [], tree = [], excludePath = [] } = {}) {
  for (const p of [...repo, ...tree]) if (p.trim() === '') throw new TargetError('an empty --repo or --tree path was given');
  for (const p of excludePath) {
    if (p === '' || p.startsWith('/') || p.split('/').includes('..') || /[*?[\]{}!:\\]/.test(p)) {
      throw new TargetError(`--exclude-path ${JSON.stringify(p)}: give a literal repository-relative file path (no globs, no leading /, no ..)`);
    }
  }
  const named = (paths) => {
    const seen = new Map();
    return paths.map((path) => {
      const base = targetName(path);
      const n = (seen.get(base) ?? 0) + 1;
      seen.set(base, n);
      return { name: n === 1 ? base : `${base}-${n}`, path };
    });
  };
  return { history: named(repo), dir: named(tree), excludePaths: [...excludePath] };
}

/**
 * `producer | rg -c PATTERN` in bash, succeeding when the producer exits 0 and rg exits 0 or 1
 * (rg -c exits 1 when nothing matches: a clean repository is not a failure). A producer killed
 * by SIGPIPE (141) fails: rg must have read everything for the timing to mean anything.
 */
export function countPipeline(producer, pattern = SCAN_PATTERN) {
  return `${producer} | rg -c ${shellQuote(pattern)}; s=("\${PIPESTATUS[@]}"); [ "\${s[0]}" = 0 ] && [ "\${s[1]}" -le 1 ]`;
}

/** git pathspec for "everything but these literal paths", or nothing. */
export function excludePathspec(excludePaths) {
  if (excludePaths.length === 0) return '';
  // --full-history: with a pathspec git log would otherwise simplify history (follow one parent
  // of a merge TREESAME to it), skipping commits a scan of every ref must read.
  return ` --full-history -- . ${excludePaths.map((p) => shellQuote(`:(exclude,literal)${p}`)).join(' ')}`;
}

/**
 * The three contenders on one repository, in the order each round runs them. `role` says which
 * is segscan (whose report gives the findings) and which are baselines.
 */
export function historyTasks({ node, bin, repo, report, excludePaths = [] }) {
  const r = shellQuote(repo);
  return [
    {
      role: 'segscan',
      key: 'segscan',
      name: 'segscan git',
      command: node,
      args: [bin, 'git', repo, '--format', 'json', '--output', report, '--quiet', ...excludePaths.flatMap((p) => ['--exclude', p])],
      okCodes: [0, 1],
    },
    { role: 'baseline', key: 'gitlog', name: 'git log -p -U0 --all | rg -c', command: 'bash', args: ['-c', countPipeline(`git -C ${r} log -p -U0 --all${excludePathspec(excludePaths)}`)], okCodes: [0] },
    { role: 'baseline', key: 'catfile', name: 'git cat-file --batch-all-objects --batch | rg -c', command: 'bash', args: ['-c', countPipeline(`git -C ${r} cat-file --batch-all-objects --batch`)], okCodes: [0] },
  ];
}

/**
 * segscan dir against rg -uuu on one tree. rg -uuu reads .git/ and node_modules/, which segscan
 * skips by default; when the tree holds either, segscan is told to read them too (`hasSkipped`),
 * so both read the same files.
 */
export function dirTasks({ node, bin, tree, report, hasSkipped }) {
  const includes = hasSkipped ? ['--include', '**', '--include', '**/node_modules/**', '--include', '**/.git/**'] : [];
  return [
    { role: 'segscan', key: 'segscan', name: 'segscan dir', command: node, args: [bin, 'dir', tree, '--format', 'json', '--output', report, '--quiet', ...includes], okCodes: [0, 1] },
    { role: 'baseline', key: 'rg', name: 'rg -uuu -c', command: 'rg', args: ['-uuu', '-c', SCAN_PATTERN, tree], okCodes: [0, 1] },
  ];
}

/** Rounds A B C, A B C, ...: every round runs every task once, in the same order. */
export function schedule(tasks, runs) {
  const order = [];
  for (let round = 0; round < runs; round++) for (const task of tasks) order.push({ round, task });
  return order;
}
