// Reads a `-U0` patch for what it adds: per file section, the new-file line ranges of its hunks.
// Hunk bodies are skipped by count (`@@ -a,b +c,d @@` is followed by exactly b + d lines), so a
// content line that looks like a header ("+++ x", "diff --git") can't derail the parser, and no
// line is kept longer than needed to read a header.

export interface PatchSection {
  /** The new path from `+++ b/…` or `rename to …`; absent for deletions and header-only sections. */
  newPath?: string;
  /** True for `+++ /dev/null` (the file is deleted in the new version). */
  deleted: boolean;
  /** 1-based inclusive line ranges added in the new version. */
  added: Array<[number, number]>;
}

const MAX_KEPT_LINE = 64 * 1024;

/** Split a byte stream into lines (without LF), truncating each to MAX_KEPT_LINE bytes. */
export async function* patchLines(chunks: AsyncIterable<Buffer>): AsyncGenerator<string, void, undefined> {
  let kept: Buffer[] = [];
  let keptBytes = 0;
  const keep = (part: Buffer): void => {
    if (keptBytes >= MAX_KEPT_LINE) return;
    const slice = part.subarray(0, MAX_KEPT_LINE - keptBytes);
    kept.push(Buffer.from(slice));
    keptBytes += slice.length;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let newline = chunk.indexOf(0x0a, start); newline !== -1; newline = chunk.indexOf(0x0a, start)) {
      keep(chunk.subarray(start, newline));
      yield Buffer.concat(kept).toString('utf8');
      kept = [];
      keptBytes = 0;
      start = newline + 1;
    }
    if (start < chunk.length) keep(chunk.subarray(start));
  }
  if (keptBytes > 0) yield Buffer.concat(kept).toString('utf8');
}

const HUNK_HEADER = /^@@ -\d+(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

export async function* patchSections(lines: AsyncIterable<string>): AsyncGenerator<PatchSection, void, undefined> {
  let section: PatchSection | undefined;
  let bodyLinesLeft = 0;
  for await (const line of lines) {
    if (bodyLinesLeft > 0) {
      // "\ No newline at end of file" annotates the previous line and is not counted.
      if (!line.startsWith('\\')) bodyLinesLeft--;
      continue;
    }
    if (line.startsWith('diff --git ')) {
      if (section) yield section;
      section = { deleted: false, added: [] };
      continue;
    }
    if (!section) continue; // e.g. "* Unmerged path x"
    const hunk = HUNK_HEADER.exec(line);
    if (hunk) {
      const removed = hunk[1] === undefined ? 1 : Number(hunk[1]);
      const start = Number(hunk[2]);
      const added = hunk[3] === undefined ? 1 : Number(hunk[3]);
      if (added > 0) section.added.push([start, start + added - 1]);
      bodyLinesLeft = removed + added;
    } else if (line.startsWith('+++ ')) {
      const target = line.slice(4);
      if (target === '/dev/null') section.deleted = true;
      else section.newPath = stripPrefix(unquotePatchPath(target, true), 'b/');
    } else if (line.startsWith('rename to ')) {
      section.newPath = unquotePatchPath(line.slice('rename to '.length), false);
    }
  }
  if (section) yield section;
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/**
 * Undo git's C-style quoting of a path in a patch header. `---`/`+++` lines end an unquoted name
 * containing a space with a TAB, so patch tools can find its end; that TAB is not part of the name.
 */
export function unquotePatchPath(text: string, fileLine: boolean): string {
  if (!text.startsWith('"')) return fileLine && text.includes(' ') && text.endsWith('\t') ? text.slice(0, -1) : text;
  const end = text.lastIndexOf('"');
  const inner = text.slice(1, end > 0 ? end : text.length);
  const parts: Buffer[] = [];
  let last = 0;
  // Octal escapes are raw bytes of a UTF-8 name, so decode only after joining them.
  for (const match of inner.matchAll(/\\([0-7]{3}|.)/gs)) {
    parts.push(Buffer.from(inner.slice(last, match.index), 'utf8'));
    const code = match[1] ?? '';
    const byte = code.length === 3 ? parseInt(code, 8) : ESCAPES[code] ?? code.charCodeAt(0);
    parts.push(Buffer.from([byte]));
    last = match.index + match[0].length;
  }
  parts.push(Buffer.from(inner.slice(last), 'utf8'));
  return Buffer.concat(parts).toString('utf8');
}
