// Blobs that refs reach without a commit: a tag (or any ref) naming a blob, or a tree. `git log`
// starts only from commits and passes over such refs without a word, so a key in a tagged blob
// (git's own repository tags its maintainer's public key this way) or in a tagged tree (the Linux
// kernel's v2.6.11) would never be read, not even with `--branch <that tag>`. The history source
// reads them after the commits, named the way git names them: `<ref>` for a blob, `<ref>:<path>`
// for a file of a tree.

import { InputError } from '../errors.js';
import { runGit } from './gitCommand.js';
import type { TreeChange } from './gitLog.js';
import { GITLINK_MODE, isObjectId } from './gitRawDiff.js';

/** What a ref (or a revision given) finally names, when that is a blob or a tree. */
interface Target {
  ref: string;
  type: 'blob' | 'tree';
  id: string;
}

const REF_FORMAT = '%(objecttype) %(objectname) %(*objecttype) %(refname)';
const BLOB_MODE = '100644';

/**
 * The blobs of every ref that names a blob or a tree, directly or through tags. `includePath`
 * filters the files of a tree by their path in it (a tagged blob has no path, so it is kept).
 * Costs one `git for-each-ref` when no ref does (nearly always).
 */
export async function refObjects(repo: string, includePath: ((path: string) => boolean) | undefined, signal?: AbortSignal): Promise<TreeChange[]> {
  const { stdout } = await runGit(repo, ['for-each-ref', `--format=${REF_FORMAT}`], { signal });
  const direct: Target[] = [];
  const tags: string[] = [];
  for (const line of stdout.split('\n')) {
    if (line === '') continue;
    // Ref names cannot contain spaces; *objecttype is empty unless the ref names a tag object.
    const [type = '', id = '', peeledType = '', ...name] = line.split(' ');
    const ref = name.join(' ');
    if (type === 'blob' || type === 'tree') direct.push({ ref, type, id });
    else if (type === 'tag' && peeledType !== 'commit') tags.push(ref);
  }
  return objectsOf(repo, [...direct, ...(await peeledTargets(repo, tags, signal))], includePath, signal);
}

/** The blobs of the given revisions (`--branch` values) that name a blob or a tree, named as given. */
export async function revisionObjects(repo: string, revisions: readonly string[], includePath: ((path: string) => boolean) | undefined, signal?: AbortSignal): Promise<TreeChange[]> {
  return objectsOf(repo, await peeledTargets(repo, revisions, signal), includePath, signal);
}

async function objectsOf(repo: string, targets: readonly Target[], includePath: ((path: string) => boolean) | undefined, signal: AbortSignal | undefined): Promise<TreeChange[]> {
  const objects: TreeChange[] = [];
  const listedTrees = new Set<string>(); // many tags may name one tree: list it once
  for (const { ref, type, id } of targets) {
    if (type === 'blob') objects.push({ path: ref, id, mode: BLOB_MODE });
    else if (type === 'tree' && !listedTrees.has(id)) {
      listedTrees.add(id);
      objects.push(...(await treeFiles(repo, ref, id, includePath, signal)));
    }
  }
  return objects;
}

/**
 * What revisions finally name (`<rev>^{}` peels tags of tags); only blobs and trees are kept. An
 * unknown revision is answered `missing` and left to git log, which names it in its error.
 */
async function peeledTargets(repo: string, refs: readonly string[], signal: AbortSignal | undefined): Promise<Target[]> {
  if (refs.length === 0) return [];
  const { stdout } = await runGit(repo, ['cat-file', '--batch-check=%(objecttype) %(objectname)'], { signal, input: refs.map((ref) => `${ref}^{}\n`).join('') });
  const answers = stdout.split('\n').slice(0, refs.length);
  return refs.flatMap((ref, i) => {
    const [type = '', id = ''] = (answers[i] ?? '').split(' ');
    return type === 'blob' || type === 'tree' ? [{ ref, type, id }] : [];
  });
}

/** Every file of a tree (`ls-tree -r`: blobs, symbolic links and gitlinks), as `<ref>:<path>`. */
async function treeFiles(repo: string, ref: string, tree: string, includePath: ((path: string) => boolean) | undefined, signal: AbortSignal | undefined): Promise<TreeChange[]> {
  const { stdout } = await runGit(repo, ['ls-tree', '-r', '-z', '--full-tree', tree], { signal });
  const files: TreeChange[] = [];
  for (const entry of stdout.split('\0')) {
    if (entry === '') continue;
    // `<mode> SP <type> SP <id> TAB <path>`
    const tab = entry.indexOf('\t');
    const [mode = '', type = '', id = ''] = entry.slice(0, tab).split(' ');
    const path = entry.slice(tab + 1);
    if (tab === -1 || !isObjectId(id)) throw new InputError(`unexpected output from git ls-tree in ${repo}`);
    if (type !== 'blob' && mode !== GITLINK_MODE) continue;
    if (includePath && !includePath(path)) continue;
    files.push({ path: `${ref}:${path}`, id, mode });
  }
  return files;
}
