// Facts about a real repository or tree, read once before it is measured (untimed): how many
// commits a scan of every ref walks, how many blob bytes those commits reach, the packed size;
// for a tree, its files and bytes and whether it holds folders segscan skips by default.
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const git = (repo, args, input) => {
  const r = spawnSync('git', ['-C', repo, ...args], { encoding: 'utf8', input, maxBuffer: 1024 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`git -C ${repo} ${args.join(' ')}: ${r.stderr.trim().split('\n')[0]}`);
  return r.stdout;
};

export function repositoryFacts(repo) {
  const commits = Number(git(repo, ['rev-list', '--all', '--count']).trim());
  // Every blob reachable from a ref, once: the bytes a full-blob history scan reads at most.
  // --missing=allow-any: a partial clone's absent blobs are left out of the count, not fatal.
  const objects = git(repo, ['rev-list', '--objects', '--no-object-names', '--all', '--missing=allow-any']);
  const sizes = git(repo, ['cat-file', '--batch-check=%(objecttype) %(objectsize)'], objects);
  let blobs = 0;
  let blobBytes = 0;
  for (const line of sizes.split('\n')) {
    if (!line.startsWith('blob ')) continue;
    blobs++;
    blobBytes += Number(line.slice(5));
  }
  const packKb = Number(/^size-pack: (\d+)/m.exec(git(repo, ['count-objects', '-v']))?.[1] ?? 0);
  const refs = git(repo, ['for-each-ref', '--format=%(refname)']).split('\n').filter(Boolean).length;
  return { commits, refs, blobs, reachableBlobMB: blobBytes / 1e6, packMB: (packKb * 1024) / 1e6, git: execFileSync('git', ['--version'], { encoding: 'utf8' }).trim() };
}

const SKIPPED_BY_DEFAULT = new Set(['node_modules', '.git']);

/** Regular files and their bytes (symlinks not followed, as neither tool follows them). */
export function treeFacts(dir) {
  let files = 0;
  let bytes = 0;
  let hasSkipped = false;
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) {
        if (SKIPPED_BY_DEFAULT.has(e.name)) hasSkipped = true;
        walk(p);
      } else if (e.isFile()) {
        files++;
        bytes += statSync(p).size;
      }
    }
  };
  walk(dir);
  return { files, bytes, hasSkipped };
}
