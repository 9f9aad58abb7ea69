// `segscan stdin`: standard input scanned as one file named by --path.
import type { Source, SourceItem } from '../types.js';

export function stdinSource(readAll: () => Promise<Buffer>, path: string, maxFileSize: number): Source {
  return {
    async *items(): AsyncIterable<SourceItem> {
      const bytes = await readAll();
      if (bytes.length > maxFileSize) {
        yield { kind: 'skipped', item: { path, reason: 'too-large', size: bytes.length, detail: `larger than --max-file-size of ${maxFileSize} bytes` } };
        return;
      }
      yield { kind: 'content', content: bytes, origin: { path, startLine: 1 } };
    },
  };
}
