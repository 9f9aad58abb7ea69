// The text inside binary content, for the engine: a key pasted into a file behind a NUL byte, a
// string in a compiled program, or a UTF-16 string in a Windows binary must not hide because the
// file as a whole is not text. Pure.

/** Shortest UTF-16LE run taken as a string (shorter runs of `x\0` pairs are noise in most binaries). */
const MIN_WIDE_RUN = 4;

const isText = (b: number) => (b >= 0x20 && b <= 0x7e) || b === 0x09 || b === 0x0a || b === 0x0d;
const isWideChar = (b: number) => b >= 0x20 && b <= 0x7e;

/**
 * A same-length ASCII view of binary content: every byte that is not printable ASCII (or a tab or
 * line break) becomes a space, so offsets, lines and columns are those of the original bytes; a
 * UTF-16LE string (`k\0e\0y\0`) is written out as its characters at its start, padded with spaces.
 */
export function binaryTextView(bytes: Uint8Array): Buffer {
  const view = Buffer.allocUnsafe(bytes.length);
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i] as number;
    view[i] = isText(b) ? b : 0x20;
  }
  for (let i = 0; i + 1 < bytes.length; ) {
    let end = i;
    while (end + 1 < bytes.length && bytes[end + 1] === 0 && isWideChar(bytes[end] as number)) end += 2;
    const chars = (end - i) >> 1;
    if (chars < MIN_WIDE_RUN) {
      i = end > i ? end : i + 1;
      continue;
    }
    for (let c = 0; c < chars; c++) view[i + c] = bytes[i + 2 * c] as number;
    view.fill(0x20, i + chars, end);
    i = end;
  }
  return view;
}
