// HTTPS_PROXY/HTTP_PROXY/NO_PROXY are honoured: with a proxy variable set, checks tunnel through
// the proxy (CONNECT); NO_PROXY bypasses it; without a variable the proxy is never used.

import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { createVerificationService } from '../../src/verify/verifier.js';
import { proxySettingsFrom } from '../../src/verify/proxy.js';
import { startFakeSegment, type FakeSegment } from './fakeSegment.js';

let fake: FakeSegment;
let proxy: Server;
let proxyUrl: string;
const tunnels: string[] = [];
const sockets = new Set<Socket>();
const { writeKey } = fakeCredentials('proxy');

beforeAll(async () => {
  fake = await startFakeSegment();
  fake.liveWriteKeys.add(writeKey);
  proxy = createServer((_req, res) => res.writeHead(405).end());
  proxy.on('connect', (req, client: Socket) => {
    tunnels.push(req.url ?? '');
    const [host = '', port = '0'] = (req.url ?? '').split(':');
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => s.destroy());
      s.on('close', () => sockets.delete(s));
    }
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
});

afterAll(async () => {
  expect(fake.trackingCalls).toBe(0);
  for (const s of sockets) s.destroy();
  await new Promise<void>((resolve) => proxy.close(() => resolve()));
  await fake.close();
});

describe('proxy support', () => {
  it('tunnels through HTTP_PROXY', async () => {
    tunnels.length = 0;
    const service = createVerificationService({ endpoints: fake.endpoints }, { env: { HTTP_PROXY: proxyUrl } });
    try {
      expect((await service.verify('write-key', writeKey)).status).toBe('live');
    } finally {
      await service.close();
    }
    expect(tunnels).toEqual([`127.0.0.1:${fake.port}`]);
  });

  it('sends HTTPS only through HTTPS_PROXY, never through HTTP_PROXY alone (as curl does)', async () => {
    tunnels.length = 0;
    const tlsOnly = { 'cdn.segment.com': `https://127.0.0.1:${fake.port}` };
    const service = createVerificationService({ endpoints: tlsOnly, timeoutMs: 2000, retries: 0 }, { env: { HTTP_PROXY: proxyUrl } });
    try {
      // The plain-HTTP stand-in cannot answer TLS: the check fails, directly, not through the proxy.
      expect((await service.verify('write-key', writeKey)).status).toBe('unknown');
    } finally {
      await service.close();
    }
    expect(tunnels).toEqual([]);
  });

  it('bypasses the proxy for NO_PROXY hosts', async () => {
    tunnels.length = 0;
    const service = createVerificationService(
      { endpoints: fake.endpoints },
      { env: { https_proxy: proxyUrl, http_proxy: proxyUrl, NO_PROXY: 'localhost,127.0.0.1' } },
    );
    try {
      expect((await service.verify('write-key', writeKey)).status).toBe('live');
    } finally {
      await service.close();
    }
    expect(tunnels).toEqual([]);
  });

  it('does not use a proxy when no variable is set', async () => {
    tunnels.length = 0;
    const service = createVerificationService({ endpoints: fake.endpoints }, { env: { NO_PROXY: '*' } });
    expect((await service.verify('write-key', writeKey)).status).toBe('live');
    expect(tunnels).toEqual([]);
  });

  it('reads lower-case variables first, as curl does', () => {
    expect(proxySettingsFrom({ https_proxy: 'http://a:1', HTTPS_PROXY: 'http://b:2' })).toEqual({
      httpProxy: '',
      httpsProxy: 'http://a:1',
      noProxy: '',
    });
    expect(proxySettingsFrom({ NO_PROXY: 'x' })).toBeUndefined();
    expect(proxySettingsFrom({ HTTPS_PROXY: '  ' })).toBeUndefined();
  });

  it('reports a proxy that refuses the tunnel as unknown, naming no secret', async () => {
    const refusing = createServer((_req, res) => res.writeHead(405).end());
    refusing.on('connect', (_req, client: Socket) => client.end('HTTP/1.1 407 Proxy Authentication Required\r\n\r\n'));
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(refusing.address() as AddressInfo).port}`;
    const service = createVerificationService({ endpoints: fake.endpoints }, { env: { HTTP_PROXY: url } });
    try {
      const v = await service.verify('write-key', writeKey);
      expect(v).toEqual({ status: 'unknown', reason: 'cdn.segment.com: the proxy refused the tunnel (407)' });
    } finally {
      await service.close();
      await new Promise<void>((resolve) => refusing.close(() => resolve()));
    }
  });
});
