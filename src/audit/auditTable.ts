// The audit listing as a table (text) or a document (JSON). Pure. Cells are stripped of control
// characters: names come from the workspace, and a terminal must not run what they hold.
import type { AuditEvent, AuditListing } from './auditEvents.js';
import { plural } from '../report/summary.js';

export interface AuditHeader {
  workspace: { id: string; slug: string; name: string };
  region: string;
  since: string;
  until: string | undefined;
}

const clean = (s: string): string => s.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ');

export function auditText(header: AuditHeader, listing: AuditListing): string {
  const window = `from ${header.since} to ${header.until ?? 'now'}`;
  const lines = [
    `Audit events done by API tokens in workspace \`${clean(header.workspace.slug)}\` (${header.region}) ${window}: ${listing.events.length} of ${plural(listing.read, 'event')} read`,
  ];
  if (!listing.complete) {
    lines.push(`warning: the listing stopped before the end${listing.failure ? ` (${clean(listing.failure)})` : ' (--max-pages)'}; older events in the window are missing`);
  }
  if (listing.events.length > 0) {
    const rows = [['TIME', 'TYPE', 'ACTOR', 'RESOURCE'], ...listing.events.map(row)];
    const widths = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c]!.length)));
    lines.push('', ...rows.map((r) => r.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]!) : cell)).join('  ').trimEnd()));
  }
  return `${lines.join('\n')}\n`;
}

function row(e: AuditEvent): string[] {
  const name = e.resourceName ? ` ${e.resourceName}` : '';
  const id = e.resourceId ? ` (${e.resourceId})` : '';
  return [e.timestamp, e.type, e.actor, `${e.resourceType}${name}${id}`].map(clean);
}

export function auditJson(header: AuditHeader, listing: AuditListing): string {
  const doc = {
    workspace: header.workspace,
    region: header.region,
    since: header.since,
    ...(header.until === undefined ? {} : { until: header.until }),
    complete: listing.complete,
    ...(listing.failure === undefined ? {} : { failure: listing.failure }),
    eventsRead: listing.read,
    events: listing.events,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
