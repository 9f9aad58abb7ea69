// Live progress on stderr for long scans, only when stderr is a terminal and not --quiet.
import type { Writable } from 'node:stream';

export interface Progress {
  update(files: number, bytes: number): void;
  stop(): void;
}

const NO_PROGRESS: Progress = { update: () => undefined, stop: () => undefined };

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export async function startProgress(stream: Writable | undefined, unit: 'files' | 'blobs', now: () => number = Date.now): Promise<Progress> {
  if (!stream) return NO_PROGRESS;
  const { SingleBar } = await import('cli-progress');
  const started = now();
  const bar = new SingleBar({
    stream: stream as NodeJS.WritableStream,
    format: `segscan {files} ${unit} | {size} | {rate} | {duration_formatted}`,
    hideCursor: true,
    clearOnComplete: true,
    fps: 8,
    noTTYOutput: false,
  });
  bar.start(0, 0, { files: 0, size: megabytes(0), rate: '-' });
  return {
    update(files, bytes) {
      const seconds = Math.max((now() - started) / 1000, 0.001);
      bar.update(0, { files, size: megabytes(bytes), rate: `${megabytes(bytes / seconds)}/s` });
    },
    stop() {
      bar.stop();
    },
  };
}
