// Reading and writing baseline files.
import { readFileSync, statSync } from 'node:fs';
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../commands/reportFile.js';
import { parseBaseline, serializeBaseline, type Baseline } from './format.js';

const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export function readBaselineFile(path: string, name: string): Baseline {
  let text: string;
  try {
    const size = statSync(path).size;
    if (size > MAX_BASELINE_BYTES) throw new ConfigError(`baseline ${name}: ${size} bytes is too large (limit ${MAX_BASELINE_BYTES})`);
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof ConfigError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(
      code === 'ENOENT'
        ? `baseline file not found: ${name}; create it with 'segscan baseline dir' (or git) first`
        : `cannot read baseline ${name} (${code}); check the path and its permissions`,
    );
  }
  return parseBaseline(text, name);
}

export function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  return writeFileAtomic(path, serializeBaseline(baseline));
}
