// `segscan audit`: the exposure window's audit events done by API tokens (remediation step 2).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, SegmentApiError, UsageError } from '../errors.js';
import { REGION_LABEL, connect } from '../segment/publicApi.js';
import { exposureStart, listTokenEvents } from '../audit/auditEvents.js';
import { auditJson, auditText } from '../audit/auditTable.js';
import type { CommandIO, CommandResult } from './io.js';
import { openSegmentHttp, regionOf, tokenFromEnv, type SegmentArgs } from './segmentOptions.js';

export interface AuditArgs extends SegmentArgs {
  since?: string;
  until?: string;
  report?: string;
  tokenFromEnv?: string;
  format: string;
  maxPages: number;
}

/** A date or time as an ISO 8601 instant; a bare date is midnight UTC. */
export function parseInstant(value: string, flag: string): string {
  const trimmed = value.trim();
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(trimmed) ? Date.parse(`${trimmed}T00:00:00Z`) : Date.parse(trimmed);
  if (Number.isNaN(ms)) throw new UsageError(`${flag} expects a date such as 2024-05-01 or 2024-05-01T12:00:00Z`);
  return new Date(ms).toISOString();
}

function sinceOf(args: AuditArgs, cwd: string): string {
  if (args.since !== undefined) return parseInstant(args.since, '--since');
  if (args.report === undefined) throw new UsageError('say where the exposure window starts: --since DATE, or --report FILE (a segscan git JSON report; its earliest commit date is used)');
  let report: unknown;
  try {
    report = JSON.parse(readFileSync(resolve(cwd, args.report), 'utf8'));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`cannot read the report ${args.report} (${code ?? 'not JSON'}); write one with segscan git --format json --output FILE`);
  }
  const start = exposureStart(report);
  if (!start) throw new UsageError(`${args.report} has no finding with a commit date (only history scans have them); pass --since DATE`);
  return start;
}

export async function runAudit(args: AuditArgs, io: CommandIO): Promise<CommandResult> {
  const token = tokenFromEnv('--token-from-env', args.tokenFromEnv, io.env);
  const since = sinceOf(args, io.cwd);
  const until = args.until === undefined ? undefined : parseInstant(args.until, '--until');
  if (until !== undefined && until <= since) throw new UsageError('--until must be after the start of the window');
  if (!Number.isInteger(args.maxPages) || args.maxPages < 1) throw new UsageError('--max-pages must be a positive whole number');
  const segment = await openSegmentHttp(args, io);
  try {
    const connection = await connect(segment.http, token, regionOf(args.region), io.signal);
    if (!connection.ok) throw new SegmentApiError(`${connection.reason}; check that the variable holds a live Public API token of this workspace`);
    const listing = await listTokenEvents(connection.api, { since, until }, { maxPages: args.maxPages, signal: io.signal });
    if ('ok' in listing) {
      throw new SegmentApiError(`${listing.reason}; ${listing.denied ? 'reading the audit trail needs a Workspace Owner token' : 'try again later'}`);
    }
    const header = { workspace: connection.workspace, region: REGION_LABEL[connection.api.region], since, until };
    return { exitCode: 0, stdout: args.format === 'json' ? auditJson(header, listing) : auditText(header, listing), stderr: '' };
  } finally {
    await segment.close();
  }
}
