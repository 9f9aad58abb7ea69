// `segscan blast-radius`: what one key (from an environment variable) can reach: for a write key
// the destinations its events flow to, for a Public API token what it can list in its workspace.
// The same read-only checks as --verify.
import { UsageError } from '../errors.js';
import { redactSecret } from '../engine/redact.js';
import { blastRadiusJson, blastRadiusLines } from '../report/leakContext.js';
import { detectCredentialKind } from '../engine/credentialShape.js';
import type { VerificationStatus } from '../types.js';
import type { CommandIO, CommandResult } from './io.js';
import { secretFromEnv } from './segmentOptions.js';

export interface BlastRadiusArgs {
  fromEnv?: string;
  format: string;
  verifyTimeout: number;
  verifyEndpoint: string[];
}

/** As verify-key: 0 live (and what it reaches), 1 invalid, 3 unknown. */
const EXIT_FOR: Readonly<Record<VerificationStatus, number>> = { live: 0, invalid: 1, unknown: 3 };

export async function runBlastRadius(args: BlastRadiusArgs, io: CommandIO): Promise<CommandResult> {
  const key = secretFromEnv('--from-env', args.fromEnv, io.env);
  const kind = detectCredentialKind(key);
  if (kind !== 'write-key' && kind !== 'public-api-token') {
    throw new UsageError('blast-radius knows what write keys and Public API tokens (sgp_) reach; the variable holds neither shape');
  }
  const { createVerificationService } = await import('../verify/verifier.js');
  const { parseEndpointOverrides, endpointOverrideWarning } = await import('../verify/http.js');
  const endpoints = parseEndpointOverrides(args.verifyEndpoint);
  const warning = endpointOverrideWarning(endpoints);
  if (warning) io.writeStderr(`segscan: warning: ${warning}\n`);
  const service = createVerificationService(
    { concurrency: 1, timeoutMs: args.verifyTimeout * 1000, endpoints, blastRadius: true },
    { env: io.env, ...(io.fetch ? { fetch: io.fetch } : {}) },
  );
  try {
    const v = await service.verify(kind, key, io.signal);
    // Free text from the checks never holds the key, but scrub it as reports do.
    const scrub = (s: string) => s.split(key).join(redactSecret(key));
    const reach = v.blastRadius ? blastRadiusJson(v.blastRadius, scrub) : undefined;
    if (args.format === 'json') {
      const doc = { kind, key: redactSecret(key), status: v.status, reason: scrub(v.reason), ...(reach ? { blastRadius: reach } : {}) };
      return { exitCode: EXIT_FOR[v.status], stdout: `${JSON.stringify(doc, null, 2)}\n`, stderr: '' };
    }
    const lines = [v.status, `kind: ${kind}`, `key: ${redactSecret(key)}`, `reason: ${scrub(v.reason)}`];
    if (reach) lines.push('reach:', ...blastRadiusLines(reach, scrub).map((l) => `  ${l}`));
    else lines.push(v.status === 'invalid' ? 'reach: none (Segment does not accept the key)' : 'reach: unknown (the check could not decide)');
    return { exitCode: EXIT_FOR[v.status], stdout: `${lines.join('\n')}\n`, stderr: '' };
  } finally {
    await service.close();
  }
}
