// A local stand-in for Segment's hosts, on 127.0.0.1. One server serves every documented host
// under a path prefix (/cdn, /us, /eu, /platform, /segmentio); `endpoints` is the matching
// --verify-endpoint map. Tracking paths answer 200 to anything, like the real tracking API, and
// count every call so tests can prove none was made.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type Script =
  /** 429 with an X-RateLimit-Reset date, `times` times, then the normal answer. */
  | { type: 'rate-limit-reset'; resetAt: Date; times: number }
  /** 429 with a JSON body carrying msBeforeNext, `times` times, then the normal answer. */
  | { type: 'rate-limit-body'; msBeforeNext: number; times: number }
  /** 500 `times` times (or forever), then the normal answer. */
  | { type: 'server-error'; times: number | 'always' }
  /** Never answers (until the server closes). */
  | { type: 'slow' }
  /** 302 to another host (the /elsewhere prefix, which counts hits). */
  | { type: 'redirect' }
  /** Headers and half a body, then the connection is destroyed. */
  | { type: 'reset' }
  /** A fixed answer. */
  | { type: 'answer'; status: number; body: string };

export interface RecordedRequest {
  host: string;
  method: string;
  path: string;
  authorization: string | undefined;
  /** The key the request carried (write key in the path, or the Bearer token). */
  secret: string | undefined;
}

const PREFIXES: Record<string, string> = {
  cdn: 'cdn.segment.com',
  us: 'api.segmentapis.com',
  eu: 'eu1.api.segmentapis.com',
  platform: 'platform.segmentapis.com',
  segmentio: 'api.segment.io',
  elsewhere: 'elsewhere.example',
};

const TRACKING = /\/v1\/(?:track|batch|identify|page|group|alias|screen|import)(?:\/|$|\?)/i;

export interface FakeSegment {
  port: number;
  /** --verify-endpoint map: every documented host to its prefix on this server. */
  endpoints: Record<string, string>;
  liveWriteKeys: Set<string>;
  /** Public API tokens live on the US host / the EU host. */
  usTokens: Set<string>;
  euTokens: Set<string>;
  /** Public API tokens answered with 403 instead of 401 (on both hosts). */
  forbiddenTokens: Set<string>;
  configTokens: Set<string>;
  limitedConfigTokens: Set<string>;
  sgKeys: Set<string>;
  /** Delay before every normal answer, so concurrent checks overlap. */
  delayMs: number;
  script(secret: string, script: Script, host?: string): void;
  requests: RecordedRequest[];
  requestsFor(secret: string): number;
  trackingCalls: number;
  elsewhereHits: number;
  inFlight: number;
  maxInFlight: number;
  close(): Promise<void>;
}

export async function startFakeSegment(): Promise<FakeSegment> {
  const scripts = new Map<string, { script: Script; host: string | undefined; served: number }>();
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();

  const fake: FakeSegment = {
    port: 0,
    endpoints: {},
    liveWriteKeys: new Set(),
    usTokens: new Set(),
    euTokens: new Set(),
    forbiddenTokens: new Set(),
    configTokens: new Set(),
    limitedConfigTokens: new Set(),
    sgKeys: new Set(),
    delayMs: 0,
    script(secret, script, host) {
      scripts.set(secret, { script, host, served: 0 });
    },
    requests: [],
    requestsFor(secret) {
      return fake.requests.filter((r) => r.secret === secret).length;
    },
    trackingCalls: 0,
    elsewhereHits: 0,
    inFlight: 0,
    maxInFlight: 0,
    async close() {
      for (const t of timers) clearTimeout(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };

  const later = (ms: number, fn: () => void): void => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };

  const server = createServer((req, res) => {
    fake.inFlight++;
    fake.maxInFlight = Math.max(fake.maxInFlight, fake.inFlight);
    res.on('close', () => fake.inFlight--);
    handle(req, res);
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://fake');
    if (TRACKING.test(url.pathname)) {
      fake.trackingCalls++;
      return json(res, 200, { success: true });
    }
    const [, prefix = '', ...rest] = url.pathname.split('/');
    const host = PREFIXES[prefix] ?? 'unknown';
    const path = `/${rest.join('/')}`;
    const authorization = req.headers.authorization;
    const bearer = /^Bearer (.+)$/.exec(authorization ?? '')?.[1];
    const writeKey = host === 'cdn.segment.com' ? /^\/v1\/projects\/([^/]+)\/settings$/.exec(path)?.[1] : undefined;
    const secret = writeKey !== undefined ? decodeURIComponent(writeKey) : bearer;
    fake.requests.push({ host, method: req.method ?? '', path, authorization, secret });
    if (host === 'elsewhere.example') {
      fake.elsewhereHits++;
      return json(res, 200, { data: { workspace: { id: 'x', slug: 'elsewhere', name: 'Elsewhere' } } });
    }
    const entry = secret === undefined ? undefined : scripts.get(secret);
    if (entry && (entry.host === undefined || entry.host === host) && runScript(entry, res)) return;
    later(fake.delayMs, () => answer(host, path, req.method ?? '', secret, res));
  }

  /** Returns true when the script produced this answer. */
  function runScript(entry: { script: Script; served: number }, res: ServerResponse): boolean {
    const { script } = entry;
    entry.served++;
    switch (script.type) {
      case 'rate-limit-reset':
        if (entry.served > script.times) return false;
        res.setHeader('X-RateLimit-Remaining', '0');
        res.setHeader('X-RateLimit-Reset', script.resetAt.toUTCString());
        json(res, 429, { errors: [{ type: 'too-many-requests', message: 'Too many requests' }] });
        return true;
      case 'rate-limit-body':
        if (entry.served > script.times) return false;
        json(res, 429, { msBeforeNext: script.msBeforeNext, message: 'Too many requests' });
        return true;
      case 'server-error':
        if (script.times !== 'always' && entry.served > script.times) return false;
        json(res, 500, { errors: [{ message: 'internal error' }] });
        return true;
      case 'slow':
        return true;
      case 'redirect':
        res.writeHead(302, { location: `http://127.0.0.1:${fake.port}/elsewhere/` }).end();
        return true;
      case 'reset':
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '4096' });
        res.write('{"integrations":{"Segment.io":');
        later(20, () => res.socket?.destroy());
        return true;
      case 'answer':
        res.writeHead(script.status, { 'content-type': 'application/json' }).end(script.body);
        return true;
    }
  }

  function answer(host: string, path: string, method: string, secret: string | undefined, res: ServerResponse): void {
    if (method !== 'GET') return json(res, 405, { error: 'method not allowed' });
    const key = secret ?? '';
    switch (host) {
      case 'cdn.segment.com':
        if (fake.liveWriteKeys.has(key)) {
          return json(res, 200, {
            integrations: { 'Segment.io': { apiKey: key, apiHost: 'api.segment.io/v1' }, 'Google Analytics': { trackingId: 'UA-0' } },
            plan: { track: { __default: { enabled: true } } },
          });
        }
        res.writeHead(404, { 'content-type': 'text/plain' }).end('Cannot GET - Invalid path or write key provided.');
        return;
      case 'api.segmentapis.com':
      case 'eu1.api.segmentapis.com': {
        if (path !== '/') return json(res, 404, { errors: [{ message: 'not found' }] });
        const region = host === 'api.segmentapis.com' ? fake.usTokens : fake.euTokens;
        if (region.has(key)) {
          const tag = host === 'api.segmentapis.com' ? 'us' : 'eu';
          return json(res, 200, { data: { workspace: { id: `ws_${tag}`, slug: `acme-${tag}`, name: `Acme ${tag.toUpperCase()}` } } });
        }
        return json(res, fake.forbiddenTokens.has(key) ? 403 : 401, { errors: [{ type: 'unauthorized', message: 'Unauthorized' }] });
      }
      case 'platform.segmentapis.com':
        if (path !== '/v1beta/workspaces') return json(res, 404, { error: 'not found' });
        if (fake.configTokens.has(key)) {
          return json(res, 200, { workspaces: [{ name: 'workspaces/acme-legacy', display_name: 'Acme Legacy', id: 'wl1' }] });
        }
        return json(res, fake.limitedConfigTokens.has(key) ? 403 : 401, { error: 'unauthorized' });
      case 'api.segment.io':
        if (path !== '/v1/projects') return json(res, 404, { error: 'not found' });
        if (fake.sgKeys.has(key)) return json(res, 200, { projects: [{ id: 'p1' }, { id: 'p2' }] });
        return json(res, 401, { error: 'unauthorized' });
      default:
        return json(res, 404, { error: 'no such host' });
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.port = (server.address() as AddressInfo).port;
  for (const [prefix, host] of Object.entries(PREFIXES)) {
    if (prefix !== 'elsewhere') fake.endpoints[host] = `http://127.0.0.1:${fake.port}/${prefix}`;
  }
  return fake;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A port nothing listens on: bind, note the port, close. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Every way a secret could leak into text: the whole value, and its body without a known prefix. */
export function leakedSecrets(text: string, secrets: Iterable<string>): string[] {
  const leaks: string[] = [];
  for (const secret of secrets) {
    const body = secret.replace(/^(sgp_|sg_)/, '');
    if (text.includes(secret) || (body.length >= 10 && text.includes(body))) leaks.push(secret);
  }
  return leaks;
}
