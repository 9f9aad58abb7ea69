// Author, date and subject of the commits findings point at. The history walk reads only commit
// ids (a third less log to produce and parse); the few commits that matter are described here, in
// one `git log --no-walk --stdin` after the scan.

import type { CommitInfo, Finding } from '../types.js';
import { InputError } from '../errors.js';
import { runGit } from './gitCommand.js';

/** Fields per commit, each followed by NUL: full sha, author name, email, ISO date, subject. */
const DETAILS_FORMAT = '%H%x00%an%x00%ae%x00%aI%x00%s%x00';
const FIELDS = 5;

/** `findings` with each commit's details filled in (the same objects when nothing points at a commit). */
export async function withCommitDetails(repo: string, findings: Finding[], signal?: AbortSignal): Promise<Finding[]> {
  const shas = [...new Set(findings.flatMap((f) => (f.commit ? [f.commit.sha] : [])))];
  if (shas.length === 0) return findings;
  const details = await commitDetails(repo, shas, signal);
  return findings.map((f) => {
    if (!f.commit) return f;
    const commit = details.get(f.commit.sha);
    if (!commit) throw new InputError(`git could not describe commit ${f.commit.sha} in ${repo}`);
    return { ...f, commit };
  });
}

export async function commitDetails(repo: string, shas: readonly string[], signal?: AbortSignal): Promise<Map<string, CommitInfo>> {
  // Ids go on standard input: a history with thousands of findings must not overflow the command line.
  const args = ['log', '--no-walk=unsorted', '--stdin', '--no-color', '--no-notes', '--encoding=UTF-8', `--format=${DETAILS_FORMAT}`];
  const { stdout } = await runGit(repo, args, { signal, input: `${shas.join('\n')}\n` });
  return parseCommitDetails(stdout);
}

/** Parse DETAILS_FORMAT output: git separates commits with a newline after the last NUL. */
export function parseCommitDetails(output: string): Map<string, CommitInfo> {
  const fields = output.split('\0');
  const details = new Map<string, CommitInfo>();
  for (let i = 0; i + FIELDS <= fields.length; i += FIELDS) {
    const [sha = '', authorName = '', authorEmail = '', date = '', subject = ''] = fields.slice(i, i + FIELDS);
    const id = sha.replace(/^\n/, '');
    details.set(id, { sha: id, authorName, authorEmail, date, subject });
  }
  return details;
}
