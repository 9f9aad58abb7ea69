import { describe, expect, it } from 'vitest';
import { fakeCredentials } from '../../src/rules/templates.js';
import { engineWithTestRules } from '../helpers/engine.js';

const keys = fakeCredentials('detect');
const engine = engineWithTestRules();
const detect = (text: string, path = 'app.txt') => engine.detect({ text, path, startLine: 1 });

describe('engine', () => {
  it('reports the secret, its hash and which signals produced it', () => {
    const [finding] = detect(`TOKEN=${keys.publicApiToken}`);
    expect(finding?.ruleId).toBe('engine-token');
    expect(finding?.secret).toBe(keys.publicApiToken);
    expect(finding?.secretHash).toMatch(/^[0-9a-f]{64}$/);
    expect(finding?.signals).toEqual(['pattern:engine-token', 'keyword:sgp_']);
  });

  it('does not run a rule whose keywords are absent', () => {
    // The pattern alone would match a 32-char value after segment_key; without the keyword no rule runs.
    expect(detect(`other_key=${keys.writeKey}`)).toEqual([]);
  });

  it('raises confidence in the documented secret file locations', () => {
    const plain = detect(`SEGMENT_KEY=${keys.writeKey}`, 'src/app.txt')[0];
    const env = detect(`SEGMENT_KEY=${keys.writeKey}`, 'deploy/.env.production')[0];
    expect(plain?.confidence).toBe('medium');
    expect(env?.confidence).toBe('high');
    expect(env?.signals).toContain('file-location:.env.production');
  });

  it('drops placeholders and references', () => {
    for (const value of ['${SEGMENT_KEY}', 'your_segment_key_here_123', 'xxxxxxxxxxxxxxxxxxxxxxxx', 'process.env.SEGMENT_KEY']) {
      expect(detect(`SEGMENT_KEY=${value}`)).toEqual([]);
    }
  });

  it('enforces the entropy minimum', () => {
    expect(detect('SEGMENT_KEY=abababababababababab')).toEqual([]);
  });

  it('marks a finding on a line with segscan:allow as suppressed (with the comment), unless inline ignores are off', () => {
    const text = `a\nTOKEN=${keys.publicApiToken} # segscan:allow reviewed 2026-11 -->\n`;
    expect(detect(text).map((f) => f.suppression)).toEqual([
      { kind: 'inSource', by: 'inline-ignore', origin: 'scanned-tree', justification: 'segscan:allow: reviewed 2026-11' },
    ]);
    const strict = engineWithTestRules({ inlineIgnores: false });
    const found = strict.detect({ text, path: 'a', startLine: 1 });
    expect(found).toHaveLength(1);
    expect(found[0]?.suppression).toBeUndefined();
  });

  it('keeps the more specific rule when two rules find the same secret', () => {
    const found = detect(`SEGMENT_KEY=${keys.publicApiToken}`);
    expect(found.map((f) => f.ruleId)).toEqual(['engine-token']);
  });

  it('decodes base64 and places the finding on the encoded text', () => {
    const encoded = Buffer.from(`${keys.writeKey}:`).toString('base64');
    const found = detect(`GET /v1 HTTP/1.1\nAuthorization: Basic ${encoded}\n`);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ ruleId: 'engine-basic-auth', secret: keys.writeKey, start: { line: 2, column: 22 }, end: { line: 2, column: 22 + encoded.length } });
    expect(found[0]?.signals).toContain('decoded:base64');
  });

  it('finds a base64 value under a Segment variable name (Kubernetes Secret)', () => {
    const encoded = Buffer.from(keys.writeKey).toString('base64');
    const found = detect(`kind: Secret\ndata:\n  SEGMENT_KEY: ${encoded}\n`, 'k8s/secret.yaml');
    expect(found.map((f) => [f.ruleId, f.secret, f.start.line, f.start.column])).toEqual([['engine-assignment', keys.writeKey, 3, 16]]);
  });

  it('ignores base64 that decodes to binary, such as lockfile integrity hashes', () => {
    const integrity = `"integrity": "sha512-${Buffer.alloc(64, 7).toString('base64')}"`;
    expect(detect(integrity, 'package-lock.json')).toEqual([]);
  });

  it('reports only findings on the fragment onlyLines', () => {
    const text = `SEGMENT_KEY=${keys.writeKey}\nTOKEN=${keys.publicApiToken}\n`;
    const found = engine.detect({ text, path: 'a', startLine: 1, onlyLines: [[2, 2]] });
    expect(found.map((f) => f.start.line)).toEqual([2]);
  });

  it('gives a fingerprint that survives edits above the line and depends on the path', () => {
    const a = detect(`TOKEN=${keys.publicApiToken}`)[0];
    const b = detect(`\n\n// added\nTOKEN=${keys.publicApiToken}`)[0];
    const c = detect(`TOKEN=${keys.publicApiToken}`, 'other.txt')[0];
    expect(a?.fingerprint).toBe(b?.fingerprint);
    expect(a?.fingerprint).not.toBe(c?.fingerprint);
  });

  it('handles JSON-escaped quotes', () => {
    const found = detect(`{"source": ["SEGMENT_KEY=\\"${keys.writeKey}\\"\\n"]}`, 'notebook.ipynb');
    expect(found.map((f) => f.secret)).toEqual([keys.writeKey]);
  });

  it('runs in linear time on hostile input because matching goes through RE2', () => {
    // (a+)+$ style backtracking cannot happen; a long run of near-matches completes.
    const text = `SEGMENT_KEY=${'a'.repeat(200_000)}!`;
    expect(detect(text)).toEqual([]);
  });
});
