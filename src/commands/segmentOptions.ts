// What every command that talks to Segment's Public API shares: the token, read only from an
// environment variable (never argv: shell history, process lists), the region, and the same
// --verify-endpoint / --verify-timeout as verification, through the same HTTP policy.
import type { Argv } from 'yargs';
import { UsageError } from '../errors.js';
import type { Region } from '../segment/publicApi.js';
import type { CommandIO } from './io.js';

export interface SegmentArgs {
  region: string;
  verifyEndpoint: string[];
  verifyTimeout: number;
}

export function withSegmentOptions<T>(y: Argv<T>) {
  return y
    .option('region', { type: 'string', choices: ['auto', 'us', 'eu'], default: 'auto', describe: 'Workspace region: auto tries api.segmentapis.com, then eu1.api.segmentapis.com' })
    .option('verify-timeout', { type: 'number', default: 10, describe: 'Seconds before one request gives up' })
    .option('verify-endpoint', { type: 'string', array: true, default: [] as string[], describe: 'HOST=BASE_URL: send requests meant for a Segment host elsewhere (tests, mirrors)' });
}

export function regionOf(value: string): Region | 'auto' {
  if (value === 'us' || value === 'eu' || value === 'auto') return value;
  throw new UsageError(`--region must be auto, us or eu`);
}

const PUBLIC_API_TOKEN = /^sgp_[A-Za-z0-9]{64}$/;

/** A key from the environment variable a flag names; UsageError (never echoing the value) otherwise. */
export function secretFromEnv(flag: string, name: string | undefined, env: NodeJS.ProcessEnv): string {
  const variable = name?.trim() ?? '';
  if (variable === '') throw new UsageError(`${flag} needs the name of an environment variable holding the key; keys are never read from the command line`);
  const value = env[variable]?.trim();
  if (value === undefined) throw new UsageError(`environment variable ${variable} is not set; export it, then run again`);
  if (value === '') throw new UsageError(`environment variable ${variable} is empty; put the key in it, then run again`);
  if (/\s/.test(value)) throw new UsageError(`environment variable ${variable} holds more than one word; it must hold exactly one key`);
  return value;
}

/** A Public API token from the environment: `sgp_` and 64 letters and digits. */
export function tokenFromEnv(flag: string, name: string | undefined, env: NodeJS.ProcessEnv): string {
  const token = secretFromEnv(flag, name, env);
  if (!PUBLIC_API_TOKEN.test(token)) {
    throw new UsageError(`environment variable ${name?.trim()} does not hold a Public API token (sgp_ followed by 64 letters and digits); create one in Settings > Workspace settings > Access Management > Tokens`);
  }
  return token;
}

export type SegmentConnection = import('../verify/verifier.js').SegmentHttp;

/** The GET-only HTTP client, after printing the usual warning when an endpoint override is in use. */
export async function openSegmentHttp(args: SegmentArgs, io: CommandIO): Promise<SegmentConnection> {
  const { createSegmentHttp } = await import('../verify/verifier.js');
  const { parseEndpointOverrides, endpointOverrideWarning } = await import('../verify/http.js');
  const endpoints = parseEndpointOverrides(args.verifyEndpoint);
  const warning = endpointOverrideWarning(endpoints);
  if (warning) io.writeStderr(`segscan: warning: ${warning}\n`);
  return createSegmentHttp({ timeoutMs: args.verifyTimeout * 1000, endpoints }, { env: io.env, ...(io.fetch ? { fetch: io.fetch } : {}) });
}
