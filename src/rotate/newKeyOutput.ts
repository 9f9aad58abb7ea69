// Where a new write key goes: only to a file only its owner can read, or to standard output in a
// format a secrets manager reads, never to the log. The file is created (exclusively, 0600) before
// the key exists, so a path that cannot be written fails before anything in Segment changes.
import { closeSync, fchmodSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { InputError, UsageError } from '../errors.js';

export const NEW_KEY_FORMATS = ['raw', 'dotenv', 'json'] as const;
export type NewKeyFormat = (typeof NEW_KEY_FORMATS)[number];

export interface ReservedKeyFile {
  write(key: string): void;
  /** Remove the empty file when no key was created. */
  abandon(): void;
}

export function reserveKeyFile(path: string, shown: string): ReservedKeyFile {
  let fd: number;
  try {
    // wx: never replace an existing file or follow a symlink planted where the key will go.
    fd = openSync(path, 'wx', 0o600);
    fchmodSync(fd, 0o600);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new InputError(
      code === 'EEXIST'
        ? `--new-key-file ${shown} already exists; name a new file (segscan never overwrites one)`
        : `cannot create --new-key-file ${shown} (${code}); check that its directory exists and is writable`,
    );
  }
  let open = true;
  return {
    write(key) {
      writeSync(fd, `${key}\n`);
      closeSync(fd);
      open = false;
    },
    abandon() {
      if (open) closeSync(fd);
      open = false;
      rmSync(path, { force: true });
    },
  };
}

/** The new key as the format asks: raw (no newline, for `| gh secret set NAME`), dotenv or JSON. */
export function formatNewKey(format: NewKeyFormat, sourceId: string, key: string): string {
  if (format === 'raw') return key;
  if (format === 'dotenv') return `SEGMENT_WRITE_KEY=${key}\n`;
  return `${JSON.stringify({ sourceId, writeKey: key })}\n`;
}

export function parseNewKeyFormat(value: string): NewKeyFormat {
  const format = NEW_KEY_FORMATS.find((f) => f === value);
  if (!format) throw new UsageError(`--new-key-format must be one of ${NEW_KEY_FORMATS.join(', ')}`);
  return format;
}

/** The key a first --apply run wrote with --new-key-file, for the --remove-old run after deploying it. */
export function readKeyFile(path: string, shown: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new InputError(`cannot read --new-key-from-file ${shown} (${(e as NodeJS.ErrnoException).code ?? 'error'}); name the file the --apply run wrote`);
  }
  const key = text.trim();
  if (!/^(?:[A-Za-z0-9]{32}|[a-z0-9]{10})$/.test(key)) throw new InputError(`--new-key-from-file ${shown} does not hold one write key; name the file the --apply run wrote`);
  return key;
}
