import { readFileSync } from 'node:fs';
import { packageFile } from '../packageFiles.js';

let version: string | undefined;

/** segscan's version from its package.json (read once). */
export function toolVersion(): string {
  version ??= (JSON.parse(readFileSync(packageFile('package.json'), 'utf8')) as { version: string }).version;
  return version;
}
