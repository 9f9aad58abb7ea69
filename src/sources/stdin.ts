// `segscan stdin`: standard input scanned as one file named by --path.
import { decodeBytes } from '../engine/text.js';
import type { Source, SourceItem } from '../types.js';

export function stdinSource(readAll: () => Promise<Buffer>, path: string, maxFileSize: number): Source {
  return {
    async *items(): AsyncIterable<SourceItem> {
      const bytes = await readAll();
      if (bytes.length > maxFileSize) {
        yield { kind: 'skipped', item: { path, reason: 'too-large', size: bytes.length, detail: `larger than --max-file-size (${maxFileSize} bytes)` } };
        return;
      }
      const decoded = decodeBytes(bytes);
      if (decoded.kind === 'binary') yield { kind: 'skipped', item: { path, reason: 'binary', size: bytes.length } };
      else yield { kind: 'fragment', fragment: { text: decoded.text, path, startLine: 1 }, bytes: bytes.length };
    },
  };
}
