// A loopback stand-in of Segment's Public API (US and EU hosts) and of the CDN settings endpoint,
// on 127.0.0.1, answering in the shapes of Segment's OpenAPI description: `{data: {...}}`,
// `pagination.count` / `pagination.cursor` in, `pagination: {current, next, totalEntries}` out,
// 401 for an unknown token (or one from the other region), 403 for a list the token may not read,
// scripted 429s with X-RateLimit-Reset, and the v1alpha media type required on the two write-key
// calls. Every request is recorded, so tests assert exactly which calls a command made; the
// mutating ones are also counted on their own.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomAlnum, seededRandom } from '../../src/rules/templates.js';

export const V1ALPHA = 'application/vnd.segment.v1alpha+json';

export interface FakeDestination {
  id: string;
  name: string;
}

export interface FakeSource {
  id: string;
  slug: string;
  name: string;
  enabled: boolean;
  categories: string[];
  isCloudEventSource?: boolean;
  writeKeys: string[];
  destinations: FakeDestination[];
}

export interface FakeAuditEvent {
  id: string;
  timestamp: string;
  type: string;
  actor: string;
  actorEmail?: string;
  resourceId: string;
  resourceType: string;
  resourceName: string;
}

export interface FakeWorkspace {
  id: string;
  slug: string;
  name: string;
  region: 'us' | 'eu';
  sources: FakeSource[];
  warehouses: Array<{ id: string; kind: string }>;
  users: Array<{ id: string; name: string; email: string }>;
  groups: Array<{ id: string; name: string }>;
  roles: Array<{ id: string; name: string }>;
  auditEvents: FakeAuditEvent[];
}

export interface FakeToken {
  workspace: FakeWorkspace;
  /** Source Admin: without it, sources come back with empty writeKeys (as Segment does). */
  sourceAdmin: boolean;
  /** Paths (first segment, e.g. "/warehouses") answered 403. */
  forbidden?: string[];
}

export interface RecordedCall {
  host: string;
  method: string;
  path: string;
  query: Record<string, string>;
  accept: string;
  /** The token (Bearer) or write key (CDN path) the request carried. */
  secret: string | undefined;
}

export interface FakePublicApi {
  endpoints: Record<string, string>;
  /** `--verify-endpoint` arguments for every host. */
  endpointArgs: string[];
  tokens: Map<string, FakeToken>;
  /** Largest page the stand-in serves, whatever `pagination.count` asks: small, so pagination shows. */
  maxPageSize: number;
  /** Keys created by POST answer on the CDN only when this is true (a CDN that has caught up). */
  newKeysLive: boolean;
  /** Answer 429 (with X-RateLimit-Reset) `times` times to requests for `method path`. */
  rateLimit(method: string, path: string, times: number): void;
  calls: RecordedCall[];
  /** Every request that was not a GET. */
  mutations: RecordedCall[];
  /** Write keys created by POST, in order. */
  createdKeys: string[];
  close(): Promise<void>;
}

const PREFIXES: Record<string, string> = { cdn: 'cdn.segment.com', us: 'api.segmentapis.com', eu: 'eu1.api.segmentapis.com' };
const HOST_REGION: Record<string, 'us' | 'eu'> = { 'api.segmentapis.com': 'us', 'eu1.api.segmentapis.com': 'eu' };

export async function startFakePublicApi(seed = 'fake-public-api'): Promise<FakePublicApi> {
  const sockets = new Set<Socket>();
  const limits = new Map<string, number>();
  const random = seededRandom(seed);
  const fake: FakePublicApi = {
    endpoints: {},
    endpointArgs: [],
    tokens: new Map(),
    maxPageSize: 2,
    newKeysLive: true,
    rateLimit(method, path, times) {
      limits.set(`${method} ${path}`, times);
    },
    calls: [],
    mutations: [],
    createdKeys: [],
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  /** Keys that stop answering on the CDN: created but not yet propagated. */
  const notYetLive = new Set<string>();

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => handle(req, res));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const host = PREFIXES[prefix] ?? 'unknown';
    const path = `/${rest.join('/')}`;
    const method = req.method ?? '';
    const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const cdnKey = host === 'cdn.segment.com' ? /^\/v1\/projects\/([^/]+)\/settings$/.exec(path)?.[1] : undefined;
    const call: RecordedCall = {
      host,
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      accept: req.headers.accept ?? '',
      secret: cdnKey !== undefined ? decodeURIComponent(cdnKey) : bearer,
    };
    fake.calls.push(call);
    if (method !== 'GET') fake.mutations.push(call);
    const limitKey = `${method} ${path}`;
    const left = limits.get(limitKey) ?? 0;
    if (left > 0) {
      limits.set(limitKey, left - 1);
      res.setHeader('X-RateLimit-Remaining', '0');
      res.setHeader('X-RateLimit-Reset', new Date(Date.now() + 50).toUTCString());
      return json(res, 429, { errors: [{ type: 'too-many-requests', message: 'Too many requests' }] });
    }
    if (host === 'cdn.segment.com') return cdn(call.secret ?? '', method, res);
    const region = HOST_REGION[host];
    if (!region) return json(res, 404, { error: 'no such host' });
    const token = bearer === undefined ? undefined : fake.tokens.get(bearer);
    // A token lives in one region: the other host does not know it.
    if (!token || token.workspace.region !== region) return json(res, 401, { errors: [{ type: 'unauthorized', message: 'Unauthorized' }] });
    if (token.forbidden?.some((p) => path === p || path.startsWith(`${p}/`))) return json(res, 403, { errors: [{ type: 'forbidden', message: 'Forbidden' }] });
    if (url.searchParams.has('pagination[count]')) return json(res, 400, { errors: [{ message: 'use pagination.count' }] });
    api(token, method, path, url.searchParams, call.accept, res);
  }

  function cdn(key: string, method: string, res: ServerResponse): void {
    if (method !== 'GET') return json(res, 405, { error: 'method not allowed' });
    const source = [...fake.tokens.values()].flatMap((t) => t.workspace.sources).find((s) => s.writeKeys.includes(key));
    if (!source || notYetLive.has(key)) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Cannot GET - Invalid path or write key provided.');
      return;
    }
    const integrations: Record<string, unknown> = { 'Segment.io': { apiKey: key, apiHost: 'api.segment.io/v1' } };
    for (const d of source.destinations) integrations[d.name] = { id: d.id };
    json(res, 200, { integrations, plan: { track: { __default: { enabled: true } } } });
  }

  function api(token: FakeToken, method: string, path: string, query: URLSearchParams, accept: string, res: ServerResponse): void {
    const ws = token.workspace;
    const sourceJson = (s: FakeSource) => ({
      id: s.id,
      slug: s.slug,
      name: s.name,
      enabled: s.enabled,
      workspaceId: ws.id,
      writeKeys: token.sourceAdmin ? [...s.writeKeys] : [],
      metadata: { id: `meta_${s.id}`, name: s.name, slug: s.slug, categories: s.categories, isCloudEventSource: s.isCloudEventSource ?? false },
      labels: [],
    });
    const writeKey = /^\/sources\/([^/]+)\/writekey(?:\/([^/]+))?$/.exec(path);
    if (writeKey) {
      // v1alpha endpoints: Segment answers them only under their own media type.
      if (!accept.includes(V1ALPHA)) return json(res, 415, { errors: [{ message: 'this endpoint is v1alpha' }] });
      const source = ws.sources.find((s) => s.id === decodeURIComponent(writeKey[1] ?? ''));
      if (!source) return json(res, 404, { errors: [{ message: 'source not found' }] });
      if (method === 'POST' && writeKey[2] === undefined) {
        const key = randomAlnum(32, random);
        source.writeKeys.push(key);
        fake.createdKeys.push(key);
        if (!fake.newKeysLive) notYetLive.add(key);
        return json(res, 200, { data: { source: sourceJson(source) } });
      }
      if (method === 'DELETE' && writeKey[2] !== undefined) {
        const key = decodeURIComponent(writeKey[2]);
        if (!source.writeKeys.includes(key)) return json(res, 404, { errors: [{ message: 'write key not found' }] });
        source.writeKeys = source.writeKeys.filter((k) => k !== key);
        return json(res, 200, { data: { status: 'SUCCESS' } });
      }
      return json(res, 405, { errors: [{ message: 'method not allowed' }] });
    }
    if (method !== 'GET') return json(res, 405, { errors: [{ message: 'method not allowed' }] });
    if (path === '/') return json(res, 200, { data: { workspace: { id: ws.id, slug: ws.slug, name: ws.name } } });
    const page = (field: string, items: unknown[]) => json(res, 200, { data: paginate(field, items, query, fake.maxPageSize) });
    const connected = /^\/sources\/([^/]+)\/connected-destinations$/.exec(path);
    if (connected) {
      const source = ws.sources.find((s) => s.id === decodeURIComponent(connected[1] ?? ''));
      if (!source) return json(res, 404, { errors: [{ message: 'source not found' }] });
      return page('destinations', source.destinations.map((d) => destinationJson(d, source.id)));
    }
    const single = /^\/sources\/([^/]+)$/.exec(path);
    if (single) {
      const source = ws.sources.find((s) => s.id === decodeURIComponent(single[1] ?? ''));
      if (!source) return json(res, 404, { errors: [{ message: 'source not found' }] });
      return json(res, 200, { data: { source: sourceJson(source), trackingPlanId: null } });
    }
    switch (path) {
      case '/sources':
        return page('sources', ws.sources.map(sourceJson));
      case '/destinations':
        return page('destinations', ws.sources.flatMap((s) => s.destinations.map((d) => destinationJson(d, s.id))));
      case '/warehouses':
        return page('warehouses', ws.warehouses.map((w) => ({ id: w.id, workspaceId: ws.id, enabled: true, metadata: { id: `m_${w.kind}`, name: w.kind, slug: w.kind.toLowerCase() }, settings: {} })));
      case '/users':
        return page('users', ws.users);
      case '/groups':
        return page('userGroups', ws.groups.map((g) => ({ ...g, memberCount: 1 })));
      case '/roles':
        return page('roles', ws.roles.map((r) => ({ ...r, description: '' })));
      case '/audit-events': {
        const start = Date.parse(query.get('startTime') ?? '');
        const end = query.has('endTime') ? Date.parse(query.get('endTime') ?? '') : Infinity;
        if (Number.isNaN(start)) return json(res, 400, { errors: [{ message: 'startTime must be a date' }] });
        const inWindow = ws.auditEvents.filter((e) => Date.parse(e.timestamp) >= start && Date.parse(e.timestamp) < end);
        return page('events', inWindow);
      }
      default:
        return json(res, 404, { errors: [{ message: 'not found' }] });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  for (const [prefix, host] of Object.entries(PREFIXES)) fake.endpoints[host] = `http://127.0.0.1:${port}/${prefix}`;
  fake.endpointArgs = Object.entries(fake.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
  return fake;
}

function destinationJson(d: FakeDestination, sourceId: string) {
  return { id: d.id, name: d.name, enabled: true, sourceId, settings: {}, metadata: { id: `m_${d.id}`, name: d.name, slug: d.name.toLowerCase() } };
}

/** An offset cursor, opaque to the client as Segment's are. */
function paginate(field: string, items: unknown[], query: URLSearchParams, maxPageSize: number): Record<string, unknown> {
  const count = Math.min(Number(query.get('pagination.count') ?? '10') || 10, maxPageSize);
  const cursor = query.get('pagination.cursor');
  const offset = cursor ? Number(Buffer.from(cursor, 'base64url').toString('utf8')) : 0;
  const next = offset + count < items.length ? Buffer.from(String(offset + count)).toString('base64url') : null;
  return {
    [field]: items.slice(offset, offset + count),
    pagination: { current: cursor ?? 'MA', next, totalEntries: items.length },
  };
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A workspace of `sources` generated sources, keys from the seed; destinations named after well-known tools. */
export function fakeWorkspace(options: { seed: string; slug: string; region: 'us' | 'eu'; extraSources?: number }): FakeWorkspace {
  const random = seededRandom(options.seed);
  const key = () => randomAlnum(32, random);
  const sources: FakeSource[] = [
    { id: 'src_web', slug: 'web-prod', name: 'Web (prod)', enabled: true, categories: ['Website'], writeKeys: [key()], destinations: [{ id: 'd_ga', name: 'Google Analytics' }, { id: 'd_mx', name: 'Mixpanel' }] },
    {
      id: 'src_ios',
      slug: 'ios-prod',
      name: 'iOS (prod)',
      enabled: true,
      categories: ['Mobile'],
      writeKeys: [key()],
      destinations: ['Amplitude', 'Braze', 'Firebase', 'Mixpanel', 'Appsflyer', 'Intercom'].map((name, i) => ({ id: `d_ios${i}`, name })),
    },
    { id: 'src_api', slug: 'api-server', name: 'API server', enabled: false, categories: ['Server'], writeKeys: [key(), key()], destinations: [{ id: 'd_wh', name: 'Webhooks' }] },
  ];
  for (let i = 0; i < (options.extraSources ?? 0); i++) {
    sources.push({ id: `src_x${i}`, slug: `extra-${i}`, name: `Extra ${i}`, enabled: true, categories: ['Server'], writeKeys: [key()], destinations: [] });
  }
  return {
    id: `ws_${options.slug}`,
    slug: options.slug,
    name: options.slug.toUpperCase(),
    region: options.region,
    sources,
    warehouses: [{ id: 'wh_1', kind: 'Snowflake' }],
    users: [
      { id: 'u1', name: 'Dana Owner', email: 'dana@example.com' },
      { id: 'u2', name: 'Lee Member', email: 'lee@example.com' },
      { id: 'u3', name: 'Sam Member', email: 'sam@example.com' },
    ],
    groups: [{ id: 'g1', name: 'Admins' }, { id: 'g2', name: 'Engineering' }],
    roles: [{ id: 'r1', name: 'Workspace Owner' }, { id: 'r2', name: 'Source Admin' }, { id: 'r3', name: 'Workspace Member' }],
    auditEvents: [],
  };
}

/** Every write key of a workspace (for tests that grep outputs for each one). */
export function allWriteKeys(ws: FakeWorkspace): string[] {
  return ws.sources.flatMap((s) => s.writeKeys);
}

/** A fresh Public API token (sgp_ + 64), from a seed. */
export function fakeToken(seed: string): string {
  return `sgp_${randomAlnum(64, seededRandom(seed))}`;
}
