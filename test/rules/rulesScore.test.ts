// `segscan rules score` on fixtures/rules/real-forms: our own reproductions (generated values) of
// the forms real public code holds Segment keys in, one file per form family that issue 17 found
// missed, plus Segment-adjacent files that hold none. Recall must stay 100% with 0 false positives:
// a rule change that loses a form fails here, naming the form.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { expandFixtureTree, type ExpandedTree } from '../helpers/fixtureTree.js';

let corpus: ExpandedTree;
beforeAll(() => {
  corpus = expandFixtureTree('rules/real-forms');
});

interface Tally {
  lines: number;
  found: number;
  kindRight: number;
}

describe('segscan rules score', () => {
  it('finds every credential line of every real-world form, of the right kind, with no false positive', () => {
    const r = runBin(['rules', 'score', corpus.root, '--min-recall', '100', '--max-false-positives', '0']);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('recall 100.0% (34 of 34 credential lines), 0 false positives');
    for (const form of ['plugin-option', 'env-map', 'k8s-default-value', 'helm-default', 'qualified-name', 'env-file', 'objc-literal', 'doubled-quotes', 'next-line-value', 'multiline-ternary', 'generic-name-in-context', 'ldflags', 'sdk-constructor', 'setter-call', 'cdn-proxy-path', 'far-context', 'sdk-in-own-package', 'load-ternary']) {
      expect(r.stdout).toMatch(new RegExp(`^${form} +\\d+ +\\d+ +100\\.0% `, 'm'));
    }
    for (const secret of corpus.generated) expect(r.stdout).not.toContain(secret);
  });

  it('reports per kind in JSON, kind-right included (a .env SEGMENT_WRITE_KEY is a write key, not generic)', () => {
    const r = runBin(['rules', 'score', corpus.root, '--format', 'json']);
    expect(r.exitCode).toBe(0);
    const score = JSON.parse(r.stdout) as { byKind: Record<string, Tally>; byFamily: Record<string, Tally>; falsePositives: unknown[]; missed: unknown[]; files: number };
    expect(score.byKind['write-key']).toEqual({ lines: 33, found: 33, kindRight: 33 });
    expect(score.byKind['config-api-token']).toEqual({ lines: 1, found: 1, kindRight: 1 });
    expect(score.byFamily['env-file']).toEqual({ lines: 1, found: 1, kindRight: 1 });
    expect(score.falsePositives).toEqual([]);
    expect(score.missed).toEqual([]);
    expect(score.files).toBe(26);
  });

  it('lists misses and false positives and fails the thresholds', () => {
    const truth = readFileSync(join(corpus.root, 'truth.tsv'), 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('server/bootstrap.js\t'))
      .join('\n');
    const altered = join(corpus.root, 'altered.tsv');
    // The bootstrap key is no longer labelled (a false positive); a prose line is claimed to hold one (a miss).
    writeFileSync(altered, `${truth}neg/segments.py\t1\twrite-key\tprose\n`);
    const r = runBin(['rules', 'score', corpus.root, '--truth', altered, '--min-recall', '99']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout.split('\n')[0]).toBe('recall 97.1% (33 of 34 credential lines), 1 false positive');
    expect(r.stdout).toContain('Missed:\n  neg/segments.py:1  write-key  prose');
    expect(r.stdout).toMatch(/False positives:\n {2}server\/bootstrap\.js:3 {2}segment-[a-z-]+/);
    expect(runBin(['rules', 'score', corpus.root, '--truth', altered, '--max-false-positives', '0']).exitCode).toBe(1);
    expect(runBin(['rules', 'score', corpus.root, '--truth', altered, '--min-recall', '96', '--max-false-positives', '1']).exitCode).toBe(0);
  });

  it('stops with one line and exit 2 on a malformed truth file or a missing corpus', () => {
    const bad = join(corpus.root, 'bad.tsv');
    writeFileSync(bad, 'src/keys.js\tone\twrite-key\n');
    const r = runBin(['rules', 'score', corpus.root, '--truth', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain("line 1 is not 'path<TAB>line<TAB>kind[<TAB>family]'");
    const missing = runBin(['rules', 'score', join(corpus.root, 'nope')]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain('corpus not found');
  });
});
