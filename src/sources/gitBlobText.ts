// Turns stored bytes into text to scan. Git's own rule decides what is binary (a NUL in the first
// 8000 bytes), except that a UTF-16 byte-order mark means text: UTF-16 is full of NULs.

const BINARY_PROBE_BYTES = 8000;

export type DecodedBlob = { binary: false; text: string } | { binary: true };

export function decodeBlob(bytes: Uint8Array): DecodedBlob {
  const data = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (startsWith(data, [0xef, 0xbb, 0xbf])) return { binary: false, text: data.toString('utf8', 3) };
  // UTF-32 LE shares UTF-16 LE's first two bytes; we can't decode it, so it stays binary.
  if (startsWith(data, [0xff, 0xfe, 0x00, 0x00])) return { binary: true };
  if (startsWith(data, [0xff, 0xfe])) return { binary: false, text: decodeUtf16(data.subarray(2), 'le') };
  if (startsWith(data, [0xfe, 0xff])) return { binary: false, text: decodeUtf16(data.subarray(2), 'be') };
  if (data.subarray(0, BINARY_PROBE_BYTES).includes(0)) return { binary: true };
  return { binary: false, text: data.toString('utf8') };
}

function startsWith(data: Buffer, prefix: readonly number[]): boolean {
  return data.length >= prefix.length && prefix.every((byte, i) => data[i] === byte);
}

function decodeUtf16(data: Buffer, order: 'le' | 'be'): string {
  const even = data.subarray(0, data.length - (data.length % 2));
  if (order === 'le') return even.toString('utf16le');
  const swapped = Buffer.from(even);
  swapped.swap16();
  return swapped.toString('utf16le');
}
