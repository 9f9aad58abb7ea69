// `segscan verify-key`: the deploy-time check of one key. The key comes from an environment
// variable or standard input, never argv (shell history, process lists). Returns what to print and
// the exit code, or throws a UsageError; only bin.ts touches process.

import { EXIT, UsageError } from '../errors.js';
import { redactSecret } from '../engine/redact.js';
import type { Verification, VerificationStatus } from '../types.js';
import { detectCredentialKind, hasShapeOf } from '../engine/credentialShape.js';
import type { VerifiableKind } from './http.js';
import type { VerificationService } from './verifier.js';

export const VERIFIABLE_KINDS: readonly VerifiableKind[] = ['write-key', 'public-api-token', 'config-api-token', 'sg-key'];

export interface VerifyKeyInput {
  /** --from-env NAME: read the key from this environment variable. */
  fromEnv?: string | undefined;
  /** --kind: one of VERIFIABLE_KINDS or `auto`; detected from the shape when absent. */
  kind?: string | undefined;
  /** Standard input, when the key is piped in; ignored when fromEnv is given. */
  stdinText?: string | undefined;
  env: NodeJS.ProcessEnv;
}

export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const EXIT_FOR: Readonly<Record<VerificationStatus, number>> = { live: EXIT.clean, invalid: EXIT.findings, unknown: EXIT.unknown };

export async function runVerifyKey(
  input: VerifyKeyInput,
  service: VerificationService,
  signal?: AbortSignal,
): Promise<CommandResult> {
  const key = readKey(input);
  if ('usage' in key) return usage(key.usage);
  const kind = chooseKind(input.kind, key.value);
  if ('usage' in kind) return usage(kind.usage);
  const verification = await service.verify(kind.value, key.value, signal);
  return { exitCode: EXIT_FOR[verification.status], stdout: describe(kind.value, key.value, verification), stderr: '' };
}

function readKey(input: VerifyKeyInput): { value: string } | { usage: string } {
  if (input.fromEnv !== undefined) {
    const name = input.fromEnv.trim();
    if (name === '') return { usage: '--from-env needs the name of an environment variable' };
    const raw = input.env[name];
    if (raw === undefined) return { usage: `environment variable ${name} is not set` };
    const value = raw.trim();
    if (value === '') return { usage: `environment variable ${name} is empty` };
    if (/\s/.test(value)) return { usage: `environment variable ${name} holds more than one word; expected a single key` };
    return { value };
  }
  if (input.stdinText === undefined) {
    return { usage: 'no key given: pass --from-env NAME or pipe the key on standard input (never on the command line)' };
  }
  const value = input.stdinText.trim();
  if (value === '') return { usage: 'standard input is empty: expected one key' };
  if (/\s/.test(value)) return { usage: 'standard input holds more than one word or line; expected a single key' };
  return { value };
}

function chooseKind(requested: string | undefined, key: string): { value: VerifiableKind } | { usage: string } {
  if (requested !== undefined && requested !== 'auto') {
    const kind = VERIFIABLE_KINDS.find((k) => k === requested);
    // Echo the value only when it cannot be a key pasted into the wrong flag.
    const shown = /^[a-z-]{1,24}$/i.test(requested) ? ` "${requested}"` : '';
    if (!kind) return { usage: `unknown --kind${shown}: use one of ${VERIFIABLE_KINDS.join(', ')}, auto` };
    if (hasShapeOf(kind, key)) return { value: kind };
    const detected = detectCredentialKind(key);
    const actual = detected === undefined || detected === 'generic' ? 'not a known Segment credential' : `a ${detected}'s`;
    return { usage: `the key does not have the shape of a ${kind} (its shape is ${actual}); check --kind` };
  }
  const detected = detectCredentialKind(key);
  if (detected === undefined || detected === 'generic') {
    return { usage: `the key's shape is not a known Segment credential; pass --kind (${VERIFIABLE_KINDS.join(', ')})` };
  }
  return { value: detected };
}

function describe(kind: VerifiableKind, key: string, verification: Verification): string {
  const lines = [verification.status, `kind: ${kind}`, `key: ${redactSecret(key)}`, `reason: ${verification.reason}`];
  for (const [name, value] of Object.entries(verification.details ?? {})) lines.push(`${name}: ${value}`);
  return `${lines.join('\n')}\n`;
}

/** A usage error goes the one error path (cli.ts prints it as `segscan: error: …`, exit 2). */
function usage(message: string): never {
  throw new UsageError(`verify-key: ${message}`);
}
