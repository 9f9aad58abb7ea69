// Parsing of git's NUL-separated output: a streaming splitter and the `--raw -z` entry format
// shared by `git log --raw` and `git diff-index --raw`, and the shape of object ids.

/** Split a byte stream on NUL without ever holding more than one unfinished token. */
export async function* nulTokens(chunks: AsyncIterable<Buffer>): AsyncGenerator<string, void, undefined> {
  let rest: Buffer = Buffer.alloc(0);
  for await (const chunk of chunks) {
    let start = 0;
    let data = chunk;
    if (rest.length > 0) {
      data = Buffer.concat([rest, chunk]);
      rest = Buffer.alloc(0);
    }
    for (let nul = data.indexOf(0, start); nul !== -1; nul = data.indexOf(0, start)) {
      yield data.toString('utf8', start, nul);
      start = nul + 1;
    }
    if (start < data.length) rest = Buffer.from(data.subarray(start));
  }
  if (rest.length > 0) yield rest.toString('utf8');
}

/**
 * The result side of one `--raw` entry: what both the history walk and the staged diff use. The
 * parents' modes and ids are skipped: a history has one entry per change (11,845 in the
 * benchmark's), and arrays of them were garbage the scavenger copied while thousands of changes
 * waited for their blobs.
 */
export interface RawEntry {
  /** For merges (`-c`), the result's mode and id (the last of each). */
  mode: string;
  id: string;
  /** Status letters: `A`, `M`, `D`, `T`, `U`, `R083`…; one per parent for combined entries. */
  status: string;
  /** How many paths follow the entry: two for renames and copies, one otherwise. */
  pathCount: 1 | 2;
}

export const GITLINK_MODE = '160000';
export const SYMLINK_MODE = '120000';
export const REGULAR_MODES: ReadonlySet<string> = new Set(['100644', '100755', '100664']);

/** Parse `:100644 100644 <id> <id> M` or `::100644 100644 100644 <id> <id> <id> MM`, without splitting it. */
export function parseRawEntry(token: string): RawEntry | undefined {
  let colons = 0;
  while (token.charCodeAt(colons) === 0x3a /* : */) colons++;
  if (colons === 0) return undefined;
  // `sides` modes, `sides` ids and a status, separated by single spaces: exactly 2 * sides spaces.
  // Found with indexOf, not a loop over every character: a history scan runs this once per change
  // while the parser is still cold (interpreted), where a per-character loop cost ~30 ms.
  const sides = colons + 1;
  let modeStart = colons;
  let space = colons - 1;
  for (let spaces = 1; spaces <= sides * 2; spaces++) {
    space = token.indexOf(' ', space + 1);
    if (space === -1) return undefined;
    if (spaces === sides - 1) modeStart = space + 1;
  }
  if (token.indexOf(' ', space + 1) !== -1) return undefined;
  const statusStart = space + 1;
  const idStart = token.lastIndexOf(' ', space - 1) + 1;
  const status = token.slice(statusStart);
  return {
    mode: token.slice(modeStart, token.indexOf(' ', modeStart)),
    id: token.slice(idStart, statusStart - 1),
    status,
    pathCount: colons === 1 && (status.startsWith('R') || status.startsWith('C')) ? 2 : 1,
  };
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

/** A full object id: 40 hex digits (SHA-1) or 64 (SHA-256), as git prints them. */
export function isObjectId(text: string): boolean {
  return OBJECT_ID.test(text);
}

export function isNullId(id: string): boolean {
  return id.charCodeAt(0) === 0x30 && /^0+$/.test(id);
}
