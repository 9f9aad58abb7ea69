import { createHash } from 'node:crypto';

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/**
 * A finding's stable identity: rule, secret and path, but not the line, so it survives edits
 * above it and matches across runs (baselines, SARIF alerts).
 */
export function findingFingerprint(ruleId: string, secretHash: string, path: string): string {
  return sha256Hex(`${ruleId}\0${secretHash}\0${path}`).slice(0, 32);
}
