// The audit trail of an exposure window: GET /audit-events between two times, every page, and
// which of the events an API token did. Segment names the actor of each event (the user or API
// token that acted) and gives an `actorEmail` only for users, so an event without one was done by
// a token.

import { isRecord } from '../verify/http.js';
import { text, type PublicApi } from '../segment/publicApi.js';

export interface AuditEvent {
  id: string;
  timestamp: string;
  type: string;
  actor: string;
  resourceType: string;
  resourceId: string;
  resourceName: string;
}

export interface AuditListing {
  /** Events done by API tokens, in the order Segment listed them. */
  events: AuditEvent[];
  /** Events read in all (users' included). */
  read: number;
  /** False when the listing stopped at --max-pages or on a failure part way. */
  complete: boolean;
  failure?: string;
}

export async function listTokenEvents(
  api: PublicApi,
  window: { since: string; until?: string | undefined },
  options: { maxPages: number; signal?: AbortSignal | undefined },
): Promise<AuditListing | { ok: false; reason: string; denied: boolean }> {
  const query: Record<string, string> = { startTime: window.since };
  if (window.until !== undefined) query['endTime'] = window.until;
  const listed = await api.list('/audit-events', 'events', { query, maxPages: options.maxPages, signal: options.signal });
  if (!listed.ok) return listed;
  const all = listed.items.filter(isRecord);
  const events = all.filter((e) => text(e['actorEmail']).trim() === '').map(toEvent);
  const out: AuditListing = { events, read: all.length, complete: listed.complete };
  if (listed.failure !== undefined) out.failure = listed.failure;
  return out;
}

function toEvent(e: Record<string, unknown>): AuditEvent {
  return {
    id: text(e['id']),
    timestamp: text(e['timestamp']),
    type: text(e['type']),
    actor: text(e['actor']),
    resourceType: text(e['resourceType']),
    resourceId: text(e['resourceId']),
    resourceName: text(e['resourceName']),
  };
}

/** The earliest commit date among a segscan JSON report's findings: when the exposure began. */
export function exposureStart(report: unknown): string | undefined {
  const findings = isRecord(report) && Array.isArray(report['findings']) ? report['findings'] : [];
  const dates = findings
    .map((f) => (isRecord(f) && isRecord(f['commit']) ? text(f['commit']['date']) : ''))
    .filter((d) => d !== '' && !Number.isNaN(Date.parse(d)))
    .map((d) => new Date(d).toISOString())
    .sort();
  return dates[0];
}
