import { afterAll, describe, expect, it } from 'vitest';
import { scanSource } from '../../src/scan.js';
import { gitHistorySource } from '../../src/sources/gitHistory.js';
import { stagedSource } from '../../src/sources/stagedDiff.js';
import type { ItemScanner } from '../../src/pool/scanPool.js';
import { holdsNoKeyword } from '../../src/pool/scanItem.js';
import { builtinEngine } from '../helpers/engine.js';
import { createTestRepo, removeTempDirs, secretLine } from '../helpers/gitRepo.js';

afterAll(removeTempDirs);

describe('git sources through the scanner', () => {
  it('reports a long-lived secret once, at the commit, path, line and column that introduced it', async () => {
    const repo = createTestRepo();
    const { line, secret } = secretLine('scan-long-lived');
    repo.write('.env', `A=1\n${line}\n`);
    const introduced = repo.commit('add key');
    for (let i = 0; i < 10; i++) {
      repo.write('.env', `A=1\n${line}\nB=${i}\n`);
      repo.commit(`edit ${i}`);
    }
    // A binary blob is scanned too: a key after a NUL byte is found, at its line and column.
    const hidden = secretLine('scan-long-lived-binary');
    repo.write('logo.png', Buffer.concat([Buffer.from([0x89, 0x50, 0x00, 0x01, 0x0a]), Buffer.from(`${hidden.line}\n`)]));
    const binaryCommit = repo.commit('logo');

    const report = await scanSource(gitHistorySource({ repo: repo.dir, maxFileSize: 1 << 20 }), builtinEngine(), {
      mode: 'git', root: repo.dir, version: 'test', dedupeHistory: true,
    });
    const hits = report.findings.filter((f) => f.secret === secret);
    expect(hits.map((f) => [f.path, f.start, f.commit?.sha])).toEqual([['.env', { line: 2, column: 19 }, introduced]]);
    expect(report.skipped).toEqual([]);
    const inBinary = report.findings.filter((f) => f.secret === hidden.secret);
    expect(inBinary.map((f) => [f.path, f.start, f.commit?.sha])).toEqual([['logo.png', { line: 2, column: 19 }, binaryCommit]]);
  });

  it('reports a rotated key as a second finding at the commit that rotated it', async () => {
    const repo = createTestRepo();
    const first = secretLine('scan-rotate-1');
    const second = secretLine('scan-rotate-2');
    repo.write('config/.env', `${first.line}\n`);
    const added = repo.commit('add key');
    repo.write('config/.env', `${second.line}\n`);
    const rotated = repo.commit('rotate key');
    repo.write('config/.env', `${second.line}\nOTHER=1\n`);
    repo.commit('unrelated edit');

    const report = await scanSource(gitHistorySource({ repo: repo.dir, maxFileSize: 1 << 20 }), builtinEngine(), {
      mode: 'git', root: repo.dir, version: 'test', dedupeHistory: true,
    });
    expect(report.findings.map((f) => [f.secret, f.commit?.sha, f.start.line])).toEqual([
      [first.secret, added, 1],
      [second.secret, rotated, 1],
    ]);
  });

  it('reports only secrets on staged added lines', async () => {
    const repo = createTestRepo();
    const old = secretLine('scan-staged-old');
    repo.write('.env', `${old.line}\n`);
    repo.commit('existing key');
    const added = secretLine('scan-staged-new');
    repo.write('.env', `${old.line}\n${added.line}\n`);
    repo.stage('.env');

    const report = await scanSource(stagedSource({ repo: repo.dir, maxFileSize: 1 << 20 }), builtinEngine(), { mode: 'staged', root: repo.dir, version: 'test' });
    expect(report.findings.map((f) => [f.secret === added.secret, f.path, f.start.line])).toEqual([[true, '.env', 2]]);
  });

  it('gives the same findings, commits and skips when blobs past the keyword gate go to a worker in batches', async () => {
    const repo = createTestRepo();
    repo.write('logo.png', Buffer.from([0x89, 0x50, 0x00, 0x01]));
    repo.commit('logo');
    const secrets = [];
    const commits = [];
    for (let i = 0; i < 6; i++) {
      // A blob without keywords between each pair: settled here, it must not send the batch early.
      repo.write(`aa-notes/plain${i}.txt`, `nothing to see ${i}\n`);
      const { line, secret } = secretLine(`scan-batch-${i}`);
      secrets.push(secret);
      repo.write(`config/app${i}.env`, `# segment settings ${i}\n${'x'.repeat(i * 50)}\n${line}\n`);
      commits.push(repo.commit(`add key ${i}`));
    }
    // The history ends on a blob sent to the pool: the last batch must still be scanned.
    const engine = builtinEngine();
    const scanWith = (pool?: () => ItemScanner, firstLook = false) => scanSource(gitHistorySource({
      repo: repo.dir, maxFileSize: 1 << 20, ...(firstLook ? { isClean: (content: Uint8Array) => holdsNoKeyword(engine, content) } : {}),
    }), engine, {
      mode: 'git', root: repo.dir, version: 'test', dedupeHistory: true, ...(pool ? { pool, inlineCandidateBytes: 0 } : {}),
    });
    // The worker is the built one (npm test builds first): worker threads run JavaScript, not TypeScript.
    const { createScanPool } = (await import(new URL('../../dist/pool/scanPool.js', import.meta.url).href)) as typeof import('../../src/pool/scanPool.js');
    let batches = 0;
    const pool = () => {
      const real = createScanPool({ rules: {}, engine: {} }, 1 << 20, 1);
      return { ...real, detectBatch: (tasks: Parameters<ItemScanner['detectBatch']>[0]) => (batches++, real.detectBatch(tasks)) };
    };
    const inline = await scanWith();
    const batched = await scanWith(pool);
    expect(batches).toBe(1);
    expect(batched.findings.map((f) => f.secret)).toEqual(secrets);
    expect(batched.findings).toEqual(inline.findings);
    expect(batched.findings.map((f) => f.commit?.sha)).toEqual(commits);
    expect(batched.skipped).toEqual(inline.skipped);
    expect(batched.stats.filesScanned).toBe(inline.stats.filesScanned);

    // The first look in the source (how segscan git runs): clean blobs arrive as sizes, in order
    // between the candidates of a batch, and the report is the same, counts and bytes included.
    const looked = await scanWith(pool, true);
    expect(batches).toBe(2);
    expect(looked.findings).toEqual(inline.findings);
    expect(looked.skipped).toEqual(inline.skipped);
    expect([looked.stats.filesScanned, looked.stats.bytesScanned]).toEqual([inline.stats.filesScanned, inline.stats.bytesScanned]);
    expect(looked.stats.filesScanned).toBe(13); // the binary logo too: it is scanned, not skipped
  });
});

