// Reading and writing baseline files.
import { ConfigError } from '../errors.js';
import { writeFileAtomic } from '../commands/reportFile.js';
import { readSmallFile } from '../config/smallFile.js';
import { parseBaseline, serializeBaseline, type Baseline } from './format.js';

const MAX_BASELINE_BYTES = 64 * 1024 * 1024;

export function readBaselineFile(path: string, name: string): Baseline {
  const read = readSmallFile(path, MAX_BASELINE_BYTES);
  if (read.ok) return parseBaseline(read.text, name);
  if (read.problem === 'not-a-file') throw new ConfigError(`baseline ${name}: not a regular file; point --baseline at a file written by 'segscan baseline'`);
  if (read.problem === 'too-large') throw new ConfigError(`baseline ${name}: too large (limit ${MAX_BASELINE_BYTES} bytes)`);
  throw new ConfigError(
    read.code === 'ENOENT'
      ? `baseline file not found: ${name}; create it with 'segscan baseline dir' (or git) first`
      : `cannot read baseline ${name} (${read.code}); check the path and its permissions`,
  );
}

export function writeBaselineFile(path: string, baseline: Baseline): Promise<void> {
  return writeFileAtomic(path, serializeBaseline(baseline));
}
