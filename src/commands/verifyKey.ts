// `segscan verify-key`: the deploy-time check of one key, read from the environment or stdin.
import type { CommandIO, CommandResult } from './io.js';

export interface VerifyKeyArgs {
  fromEnv?: string;
  kind?: string;
  verifyTimeout: number;
  verifyEndpoint: string[];
}

export async function runVerifyKeyCommand(args: VerifyKeyArgs, io: CommandIO): Promise<CommandResult> {
  const { createVerificationService } = await import('../verify/verifier.js');
  const { parseEndpointOverrides, endpointOverrideWarning } = await import('../verify/http.js');
  const { runVerifyKey } = await import('../verify/verifyKey.js');
  const endpoints = parseEndpointOverrides(args.verifyEndpoint);
  const warning = endpointOverrideWarning(endpoints);
  const service = createVerificationService(
    { concurrency: 1, timeoutMs: args.verifyTimeout * 1000, endpoints },
    { env: io.env, ...(io.fetch ? { fetch: io.fetch } : {}) },
  );
  // Never wait on a terminal: with nothing piped in and no --from-env there is no key to read.
  const stdinText = args.fromEnv === undefined && !io.stdinIsTTY ? (await io.readStdin()).toString('utf8') : undefined;
  let result: CommandResult;
  try {
    result = await runVerifyKey({ fromEnv: args.fromEnv, kind: args.kind, stdinText, env: io.env }, service, io.signal);
  } finally {
    await service.close();
  }
  return warning ? { ...result, stderr: `segscan: warning: ${warning}\n${result.stderr}` } : result;
}
