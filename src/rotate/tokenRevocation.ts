// What to do about a leaked Public API token. No endpoint rotates or deletes one: it is deleted in
// the app, then the audit trail of the exposure window shows what a holder may have done with it.
import type { Region } from '../segment/publicApi.js';

/** The app's token page; EU workspaces live on eu1.app.segment.com. */
export function tokensPageUrl(workspace: { slug: string; region: Region } | undefined): string {
  const host = workspace?.region === 'eu' ? 'eu1.app.segment.com' : 'app.segment.com';
  return `https://${host}/${workspace?.slug ?? '<workspace-slug>'}/settings/access-management/tokens`;
}

export function tokenRevocationSteps(workspace: { slug: string; region: Region } | undefined, since: string | undefined): string[] {
  return [
    'To revoke it:',
    `  1. Open ${tokensPageUrl(workspace)}`,
    '     (Settings > Workspace settings > Access Management > Tokens) and delete the token; only a Workspace Owner can.',
    '  2. Create a replacement with the least access the job needs (Workspace Member with specific resources, not Owner),',
    '     and store it in a secrets manager, not in code or CI logs.',
    '  3. Review what was done with the token during the exposure window, with another token:',
    `     segscan audit --since ${since ?? '<first exposure date, e.g. the commit date>'} --token-from-env <VARIABLE WITH ANOTHER TOKEN>`,
    '     It lists the audit events done by API tokens. Look first at events that grant access (tokens, users,',
    '     invites, permissions), change where data goes (destinations, warehouses, connections), or touch',
    '     sources (a "Source Modified" event is also what creating or removing a write key records).',
    '  4. Rotate every write key the token could read: with Source Admin it read them all',
    '     (segscan blast-radius --from-env <VARIABLE> shows whether it could, while it is live).',
  ];
}
