// The blast radius of a live Public API token: what it can list in its workspace. A bounded walk
// of read-only GETs (sources, destinations, warehouses, IAM users, groups and roles), each list
// read a few pages at most, the whole walk capped in requests and time, so a scan of a repository
// full of tokens stays a scan. A 403 on a list is itself an answer: the token cannot read it.

import type { BlastRadius, ReachArea, Verification } from '../types.js';
import type { HttpClient } from '../verify/http.js';
import { isRecord } from '../verify/http.js';
import { publicApi, text, type ListAnswer, type PublicApi, type Region } from '../segment/publicApi.js';

export interface WalkBounds {
  /** Requests the walk may make in all. */
  maxRequests: number;
  /** Pages read of one list. */
  maxPagesPerList: number;
  /** The whole walk, in milliseconds. */
  maxMs: number;
}

export const DEFAULT_WALK_BOUNDS: WalkBounds = { maxRequests: 30, maxPagesPerList: 5, maxMs: 30_000 };
/** Names kept per area: enough to recognise what is exposed, small enough for a report. */
const MAX_NAMES = 50;

type Item = Record<string, unknown>;

interface AreaSpec {
  area: ReachArea['area'];
  path: string;
  field: string;
  /** The name shown for an item; undefined for users, whose names and emails stay out of reports. */
  name?: (item: Item) => string;
}

const metadataName = (item: Item): string => (isRecord(item['metadata']) ? text(item['metadata']['name']) : '');

const AREAS: readonly AreaSpec[] = [
  { area: 'sources', path: '/sources', field: 'sources', name: (s) => text(s['slug']) || text(s['name']) || text(s['id']) },
  { area: 'destinations', path: '/destinations', field: 'destinations', name: (d) => text(d['name']) || metadataName(d) || text(d['id']) },
  { area: 'warehouses', path: '/warehouses', field: 'warehouses', name: (w) => [metadataName(w), text(w['id'])].filter(Boolean).join(' ') },
  { area: 'users', path: '/users', field: 'users' },
  { area: 'groups', path: '/groups', field: 'userGroups', name: (g) => text(g['name']) },
  { area: 'roles', path: '/roles', field: 'roles', name: (r) => text(r['name']) },
];

export async function walkTokenReach(
  token: string,
  verification: Verification,
  http: HttpClient,
  signal?: AbortSignal,
  bounds: WalkBounds = DEFAULT_WALK_BOUNDS,
): Promise<BlastRadius> {
  const details = verification.details ?? {};
  const region: Region = /eu/i.test(details['region'] ?? '') ? 'eu' : 'us';
  const api = publicApi(http, token, region);
  const deadline = AbortSignal.timeout(bounds.maxMs);
  const walkSignal = signal ? AbortSignal.any([signal, deadline]) : deadline;
  const areas: ReachArea[] = [];
  for (const spec of AREAS) {
    if (walkSignal.aborted || api.requests >= bounds.maxRequests) {
      areas.push({ area: spec.area, access: 'skipped', names: [], note: deadline.aborted ? `the walk's ${bounds.maxMs / 1000} s bound` : `the walk's ${bounds.maxRequests}-request bound` });
      continue;
    }
    const answer = await api.list(spec.path, spec.field, {
      maxPages: bounds.maxPagesPerList,
      mayRequest: () => api.requests < bounds.maxRequests && !walkSignal.aborted,
      signal: walkSignal,
    });
    areas.push(readArea(spec, answer, api));
  }
  const workspace: NonNullable<BlastRadius['workspace']> = { region: region.toUpperCase() };
  if (details['workspaceId']) workspace.id = details['workspaceId'];
  if (details['workspaceSlug']) workspace.slug = details['workspaceSlug'];
  if (details['workspaceName']) workspace.name = details['workspaceName'];
  return { credential: 'public-api-token', workspace, areas, requests: api.requests };
}

function readArea(spec: AreaSpec, answer: ListAnswer, api: PublicApi): ReachArea {
  if (!answer.ok) {
    const note = answer.status === undefined ? answer.reason : `${api.host} answered ${answer.status}`;
    return { area: spec.area, access: answer.denied ? 'denied' : 'failed', names: [], note };
  }
  const items = answer.items.filter(isRecord);
  const names = spec.name ? items.map(spec.name).filter((n) => n !== '').slice(0, MAX_NAMES) : [];
  const area: ReachArea = { area: spec.area, access: 'listed', count: answer.total ?? items.length, complete: answer.complete, names };
  if (spec.area === 'sources') area.writeKeysReadable = items.some((s) => Array.isArray(s['writeKeys']) && s['writeKeys'].length > 0);
  if (answer.failure) area.note = answer.failure;
  return area;
}
