// Every example in the README runs: its rule passes `segscan rules test`, its shell lines that call
// segscan run (in a sandbox repository, through a `segscan` on PATH) without a usage error, its
// workflow snippets pass actionlint, and its sample outputs are what the CLI prints today.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { serializeKnownKeys } from '../../src/knownKeys/file.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { redactSecret } from '../../src/engine/redact.js';
import { startFakeSegment } from '../verify/fakeSegment.js';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/fixtureTree.js';
import { createTestRepo, isolatedGitEnv, makeTempDir, removeTempDirs } from '../helpers/gitRepo.js';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const HOOKS = parse(readFileSync(new URL('../../.pre-commit-hooks.yaml', import.meta.url), 'utf8')) as Array<{ id: string }>;

afterAll(removeTempDirs);

interface Block {
  lang: string;
  body: string;
  /** The `<!-- name -->` comment on the line before the fence, if any. */
  marker?: string;
}

function blocks(markdown: string): Block[] {
  const found: Block[] = [];
  const fence = /(?:<!-- ([^>]*?) -->\n)?```(\w*)\n([\s\S]*?)```/g;
  for (const m of markdown.matchAll(fence)) found.push({ lang: m[2] ?? '', body: m[3] ?? '', ...(m[1] ? { marker: m[1] } : {}) });
  return found;
}
const marked = (marker: string) => {
  const block = blocks(README).find((b) => b.marker === marker);
  if (!block) throw new Error(`README has no block marked <!-- ${marker} -->`);
  return block.body;
};

describe('the README rule example', () => {
  it('passes segscan rules test as written', async () => {
    const dir = tempDir({ 'rules/acme-relay.yaml': marked('rule: example') });
    const result = await runCli(['rules', 'test', 'rules'], { cwd: dir });
    expect(result.stdout).toBe('2 passed, 0 failed (1 rules)\n');
    expect(result.exitCode).toBe(0);
  });
});

/** The segscan command lines of the README's sh blocks, without trailing comments. */
function segscanLines(): string[] {
  const lines = blocks(README)
    .filter((b) => b.lang === 'sh')
    // A line ending in a backslash goes on on the next one, as in a shell.
    .flatMap((b) => b.body.replace(/\\\n\s*/g, ' ').split('\n'))
    .map((line) => line.replace(/\s+#\s.*$/, '').trim());
  return lines.filter((line) => /(^|\|\s*)(npx (--no-install )?)?segscan /.test(line) || /^mkdir -p /.test(line));
}

describe('the README shell examples', () => {
  it('run: every segscan line, in order, in a sandbox repository, with no usage error', () => {
    const lines = segscanLines();
    expect(lines.length).toBeGreaterThan(15);
    const keys = fakeCredentials('readme-examples');
    const home = makeTempDir('segscan-readme-');
    const origin = createTestRepo();
    origin.write('app.js', 'export const app = 1;\n');
    origin.write('.env', `SEGMENT_WRITE_KEY=${keys.writeKey}\n`);
    origin.commit('initial');
    const service = createTestRepo();
    service.write('README.md', 'service\n');
    service.commit('service');
    // The examples run in a clone (it has origin/main) beside ../service.
    const project = join(home, 'project');
    for (const [from, to] of [[origin.dir, project], [service.dir, join(home, 'service')]] as const) {
      expect(spawnSync('git', ['clone', '-q', from, to], { env: isolatedGitEnv() }).status).toBe(0);
    }
    mkdirSync(join(project, '.husky'));
    // What `segscan workspace sync` would have written (Segment is out of reach here).
    writeFileSync(join(project, '.segscan-known-keys.json'), serializeKnownKeys({
      format: 'segscan-known-keys', version: 1, generatedAt: '2026-12-07T00:00:00.000Z',
      workspace: { id: 'ws_1', slug: 'acme', name: 'Acme', region: 'us' },
      sources: [{ id: 'src_123', slug: 'web', name: 'Web', enabled: true, kind: 'website', destinations: 2,
        writeKeys: [{ sha256: createHash('sha256').update(keys.writeKey).digest('hex'), length: 32, hasDigit: true }] }],
    }));
    // `segscan` and `npx segscan` run this checkout's build.
    const bin = join(home, 'bin');
    mkdirSync(bin);
    writeFileSync(join(bin, 'segscan'), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\n[ "$1" = --no-install ] && shift\n[ "$1" = segscan ] || exit 127\nshift\nexec segscan "$@"\n');
    for (const name of ['segscan', 'npx']) chmodSync(join(bin, name), 0o755);
    const env = isolatedGitEnv({
      PATH: `${bin}:/usr/local/bin:/usr/bin:/bin`,
      SEGMENT_WRITE_KEY: keys.writeKey,
      SEGMENT_PUBLIC_API_TOKEN: keys.publicApiToken,
      // verify-key asks Segment: through a proxy that refuses, so nothing leaves the machine and
      // the verdict is "unknown" (exit 3).
      HTTPS_PROXY: 'http://127.0.0.1:9',
      // The commands that read the workspace get tokens of the right shape; Segment is out of
      // reach, so they stop with a one-line network error (exit 2), which is not a usage error.
      SEGMENT_OWNER_TOKEN: keys.publicApiToken,
      SEGMENT_ADMIN_TOKEN: keys.publicApiToken,
    });
    const asksSegment = /^segscan (workspace|blast-radius|rotate|audit) /;
    for (const line of lines) {
      const r = spawnSync('sh', ['-c', line], { cwd: project, env, encoding: 'utf8', timeout: 60_000 });
      const said = `${line}\n${r.stdout}${r.stderr}`;
      if (asksSegment.test(line) && r.status === 2) expect(r.stderr, said).not.toContain('(see segscan --help)');
      else expect([0, 1, 3], said).toContain(r.status);
      for (const secret of [keys.writeKey, keys.publicApiToken]) expect(r.stdout + r.stderr, line).not.toContain(secret);
    }
  });
});

/** A workflow snippet as actionlint takes it: whole workflows as they are, steps inside a job. */
function asWorkflow(body: string): string | undefined {
  if (/^jobs:/m.test(body)) return body;
  const trimmed = body.replace(/^\n+/, '');
  const indent = /^( *)- (?:run|uses):/.exec(trimmed)?.[1];
  if (indent === undefined) return undefined;
  const steps = trimmed.split('\n').map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l)).map((l) => (l ? `      ${l}` : l)).join('\n');
  return `on: pull_request\npermissions: { contents: read }\njobs:\n  example:\n    runs-on: ubuntu-latest\n    steps:\n${steps}`;
}

describe('the README workflow snippets', () => {
  const workflows = blocks(README).filter((b) => b.lang === 'yaml').map((b) => asWorkflow(b.body)).filter((w): w is string => w !== undefined);

  it('pass actionlint', async () => {
    expect(workflows.length).toBeGreaterThanOrEqual(4);
    const { createLinter } = createRequire(import.meta.url)('actionlint') as { createLinter: () => Promise<(input: string, path: string) => Array<{ line: number; message: string }>> };
    const lint = await createLinter();
    for (const [i, workflow] of workflows.entries()) expect(lint(workflow, `readme-${i}.yml`), workflow).toEqual([]);
  });

  it('upload with codeql-action v4 and grant what upload-sarif needs in private repositories', () => {
    const uploading = workflows.filter((w) => /upload-sarif|segscan\/segscan@/.test(w));
    expect(uploading.length).toBeGreaterThanOrEqual(2);
    for (const w of uploading) {
      expect(w).not.toMatch(/upload-sarif@v[0-3]\b/);
      const doc = parse(w) as { permissions: Record<string, string> };
      expect(doc.permissions).toMatchObject({ contents: 'read', 'security-events': 'write', actions: 'read' });
    }
  });

  it('include a scheduled full-history scan with the action', () => {
    const doc = parse(marked('workflow: action')) as { on: Record<string, unknown>; jobs: Record<string, { steps: Array<{ uses?: string; with?: Record<string, unknown> }> }> };
    expect(doc.on.schedule).toEqual([{ cron: expect.stringMatching(/^\S+ \S+ \S+ \S+ \S+$/) }]);
    const steps = Object.values(doc.jobs).flatMap((j) => j.steps);
    const checkout = steps.find((s) => s.uses?.startsWith('actions/checkout@'));
    expect(checkout?.with?.['fetch-depth']).toBe(0);
    const scan = steps.find((s) => s.uses?.startsWith('segscan/segscan@'));
    expect(scan?.with?.args).toBeUndefined(); // the default: the whole history on a schedule
  });

  it('name only hook ids the manifest has, in the pre-commit config', () => {
    const config = blocks(README).find((b) => b.body.includes('# .pre-commit-config.yaml'));
    const named = [...(config?.body ?? '').matchAll(/- id: ([\w-]+)/g)].map((m) => m[1]);
    expect(named).toEqual(['segscan', 'segscan-push', 'segscan-files']);
    for (const id of named) expect(HOOKS.map((h) => h.id)).toContain(id);
  });
});

describe('the README sample outputs', () => {
  /** The sample tree: a `.env` with a token, a web page with a write key, a bundle over the size limit. */
  function sampleTree(): string {
    const keys = fakeCredentials('readme-sample');
    return tempDir({
      '.env': `# production settings\nNODE_ENV=production\nSEGMENT_TOKEN=${keys.publicApiToken}\n`,
      'web/index.html': `<script>\n  analytics.load("${keys.writeKey}");\n</script>\n`,
      'dist/huge.js': 'x'.repeat(3000),
    });
  }
  const timeless = (text: string) => text.replace(/ in \d+\.\d\d s/g, ' in N s');

  it.each([
    ['sample: text', ['dir', '.', '--max-file-size', '2KiB', '--no-color']],
    ['sample: github', ['dir', '.', '--max-file-size', '2KiB', '--format', 'github']],
  ])('%s is what segscan prints', async (marker, argv) => {
    const result = await runCli(argv, { cwd: sampleTree() });
    expect(result.exitCode).toBe(1);
    expect(timeless(marked(marker))).toBe(timeless(result.stdout));
  });

  it('sample: verify-key is what segscan prints for a live write key (but the key, shown redacted)', async () => {
    const segment = await startFakeSegment();
    try {
      const key = fakeCredentials('readme-verify').writeKey;
      segment.liveWriteKeys.add(key);
      const endpoints = Object.entries(segment.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
      const result = await runCli(['verify-key', '--from-env', 'KEY', ...endpoints], { env: { KEY: key } });
      expect(result.exitCode).toBe(0);
      const withoutKey = (text: string) => text.replace(/^key: .*$/m, 'key: <redacted>');
      expect(withoutKey(marked('sample: verify-key'))).toBe(withoutKey(result.stdout));
      expect(result.stdout).toContain(`key: ${redactSecret(key)}\n`);
    } finally {
      await segment.close();
    }
  });

  it('name only rules that exist', async () => {
    const ids = new Set(((JSON.parse((await runCli(['rules', 'list', '--format', 'json'])).stdout) as Array<{ id: string }>).map((r) => r.id)));
    const named = new Set([...README.matchAll(/\bsegment-[a-z]+(?:-[a-z0-9]+)*\b/g)].map((m) => m[0]).filter((id) => !id.endsWith('-')));
    // Names that are not rule ids: the Segment package and the README's own headings.
    for (const other of ['segment-analytics', 'segment-config', 'segment-known-write-key']) named.delete(other);
    for (const id of named) expect(ids, id).toContain(id);
  });
});
