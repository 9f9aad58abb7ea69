// Verification against servers that fail in every way a network can: refused connections, resets
// mid-answer, a TLS certificate nobody trusts, a slow-loris server dribbling its headers, an endless
// body, bytes that are not HTTP. Every finding ends as `unknown` with a reason naming the host,
// within the timeout, and the scan completes with all its findings. test/verify/ covers the
// verifier's own cases; these run the whole CLI.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createTcpServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { SEGMENT_HOSTS } from '../../src/verify/http.js';
import { runCli } from '../helpers/cli.js';
import { closedPort, leakedSecrets } from '../verify/fakeSegment.js';
import { cleanupTemp, hostileTemp, parseReport, startBinary } from './support.js';

const keys = fakeCredentials('hostile-verify');
const SECRETS = Object.values(keys);
/** One finding of every verifiable kind. */
const INPUT = [
  `SEGMENT_WRITE_KEY=${keys.writeKey}`,
  `SEGMENT_PUBLIC_API_TOKEN=${keys.publicApiToken}`,
  `SEGMENT_ACCESS_TOKEN=${keys.configApiToken}`,
  `SEGMENT_API_KEY=${keys.sgKey}`,
  '',
].join('\n');

const servers: Server[] = [];
const sockets = new Set<Socket>();
function track<T extends Server>(server: T): T {
  servers.push(server);
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return server;
}
async function listen(server: Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** A raw TCP server: each connection gets `onConnection` once the request head has arrived. */
function rawServer(onConnection: (socket: Socket) => void): Server {
  return track(
    createTcpServer((socket) => {
      socket.on('error', () => {});
      let head = '';
      socket.on('data', (chunk) => {
        if (head.includes('\r\n\r\n')) return;
        head += chunk.toString('latin1');
        if (head.includes('\r\n\r\n')) onConnection(socket);
      });
    }),
  );
}

const timers = new Set<NodeJS.Timeout>();
function every(ms: number, fn: () => boolean): void {
  const t = setInterval(() => {
    if (!fn()) {
      clearInterval(t);
      timers.delete(t);
    }
  }, ms);
  timers.add(t);
}

const base: Record<string, string> = {};

beforeAll(async () => {
  base.refused = `http://127.0.0.1:${await closedPort()}`;
  // Headers and part of a body, then the connection is reset.
  base.reset = `http://127.0.0.1:${await listen(rawServer((s) => {
    s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 5000\r\n\r\n{"integrations": {"Segment.io": ');
    setTimeout(() => s.resetAndDestroy(), 20);
  }))}`;
  // Slow-loris: one byte of the status line and headers every 100 ms, never finishing.
  base.slowloris = `http://127.0.0.1:${await listen(rawServer((s) => {
    const text = `HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-padding: ${'a'.repeat(10_000)}`;
    let i = 0;
    every(100, () => !s.destroyed && s.write(text[i++ % text.length] ?? 'a') !== undefined);
  }))}`;
  // Prompt headers, then a body that never ends.
  base.endless = `http://127.0.0.1:${await listen(rawServer((s) => {
    s.write('HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n');
    // As fast as the client reads (not on a timer, which a loaded machine slows below the
    // timeout), so the body passes segscan's limit well within the 1 s timeout.
    const chunk = `4000\r\n${'{'.repeat(0x4000)}\r\n`;
    const pump = (): void => {
      while (!s.destroyed && s.write(chunk));
      if (!s.destroyed) s.once('drain', pump);
    };
    pump();
  }))}`;
  // Bytes that are not HTTP at all.
  base.garbage = `http://127.0.0.1:${await listen(rawServer((s) => s.end('SSH-2.0-OpenSSH_9.0\r\n\x00\x01\x02 not http\r\n\r\n')))}`;
  // HTTPS with a self-signed certificate: segscan must not trust it.
  const dir = hostileTemp('tls');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'), '-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const tls = createHttpsServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"data": {"workspace": {"id": "x", "slug": "mitm", "name": "MITM"}}}');
  });
  tls.on('tlsClientError', () => {});
  base.tls = `https://127.0.0.1:${await listen(track(tls))}`;
}, 60_000);

afterAll(async () => {
  for (const t of timers) clearInterval(t);
  for (const s of sockets) s.destroy();
  await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  cleanupTemp();
});

/** --verify-endpoint for every Segment host, all pointing at one failing server. */
function endpoints(url: string): string[] {
  return SEGMENT_HOSTS.flatMap((host) => ['--verify-endpoint', `${host}=${url}`]);
}

const CASES: Array<[string, RegExp]> = [
  ['refused', /: connection refused \(ECONNREFUSED\)/],
  ['reset', /: connection closed before a complete answer \(ECONNRESET\)/],
  ['slowloris', / did not answer within 1 s/],
  // Cut off at segscan's body limit: never accepted as an answer.
  ['endless', / answered 200 but the body is not /],
  ['garbage', /: the answer was not valid HTTP/],
  ['tls', /: TLS failure \(DEPTH_ZERO_SELF_SIGNED_CERT\)/],
];

describe('segscan stdin --verify against failing servers', () => {
  for (const [name, reason] of CASES) {
    it.concurrent(`${name}: every finding is unknown with a reason naming its host, and the scan completes`, async () => {
      const result = await runCli(['stdin', '--path', 'deploy/.env', '--verify', '--verify-timeout', '1', '--format', 'json', ...endpoints(base[name] as string)], { stdin: INPUT });
      expect(result.exitCode, result.stderr).toBe(1);
      const report = parseReport(result.stdout);
      expect(report.incomplete).toBe(false);
      expect(report.findings.map((f) => f.start.line).sort()).toEqual([1, 2, 3, 4]);
      for (const f of report.findings) {
        expect(f.verification?.status, JSON.stringify(f.verification)).toBe('unknown');
        expect(f.verification?.reason).toMatch(/(cdn\.segment\.com|api\.segmentapis\.com|platform\.segmentapis\.com|api\.segment\.io)/);
        expect(f.verification?.reason).toMatch(reason);
      }
      expect(leakedSecrets(result.stdout + result.stderr, SECRETS)).toEqual([]);
    });
  }
});

describe('verify-key against failing servers', () => {
  it.concurrent('exits 3 (unknown) with the reason for a TLS failure and for a slow-loris server', async () => {
    for (const [name, reason] of [['tls', /TLS failure/], ['slowloris', /did not answer within 1 s/]] as const) {
      const result = await runCli(['verify-key', '--verify-timeout', '1', ...endpoints(base[name] as string)], { stdin: `${keys.publicApiToken}\n` });
      expect(result.exitCode, result.stdout + result.stderr).toBe(3);
      expect(result.stdout).toMatch(/^unknown\n/);
      expect(result.stdout).toMatch(reason);
      expect(leakedSecrets(result.stdout + result.stderr, SECRETS)).toEqual([]);
    }
  });
});

describe('interrupted during verification', () => {
  it('SIGINT while every check waits on a server that never answers: exit 130 at once, findings written, checks cancelled, report incomplete', async () => {
    const run = startBinary(['stdin', '--path', '.env', '--verify', '--verify-timeout', '600', '--format', 'json', ...endpoints(base.slowloris as string)], { input: INPUT });
    await run.waitForStderr(/verify-endpoint/); // the warning printed as verification starts
    await new Promise((resolve) => setTimeout(resolve, 300));
    run.child.kill('SIGINT');
    const verdict = await Promise.race([run.exited, new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 10_000))]);
    if (verdict === 'still running') run.child.kill('SIGKILL');
    expect(verdict).toMatchObject({ code: 130 });
    const report = parseReport(run.stdout());
    expect(report.findings).toHaveLength(4);
    for (const f of report.findings) expect(f.verification?.status).toBe('unknown');
    expect(report.incomplete).toBe(true);
  }, 30_000);
});
