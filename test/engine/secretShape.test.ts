import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/engine/detect.js';
import { groupSource, secretShape } from '../../src/engine/secretShape.js';
import { scanContent } from '../../src/pool/scanItem.js';
import { loadRules } from '../../src/rules/load.js';
import { tempDir } from '../helpers/fixtureTree.js';

describe('groupSource', () => {
  it('picks out numbered and named groups, counting as RE2 does', () => {
    const source = String.raw`(?i)a(b(c))(?:x|y)(?P<named>d[)(]e)(?<other>\(f\))`;
    expect(groupSource(source, 1)).toBe('b(c)');
    expect(groupSource(source, 2)).toBe('c');
    expect(groupSource(source, 3)).toBe('d[)(]e');
    expect(groupSource(source, 'named')).toBe('d[)(]e');
    expect(groupSource(source, 'other')).toBe(String.raw`\(f\)`);
    expect(groupSource(source, 5)).toBeUndefined();
  });

  it('skips flag settings and groups that capture nothing', () => {
    expect(groupSource('(?i)(?s:a.)(?-i)(k[0-9]+)', 1)).toBe('k[0-9]+');
  });

  it('gives no answer for syntax it does not follow, rather than a wrong one', () => {
    expect(groupSource(String.raw`\Q(a)\E(b)`, 1)).toBeUndefined();
    expect(groupSource('[]a](b)', 1)).toBeUndefined();
    expect(groupSource('[^]a](b)', 1)).toBeUndefined();
    expect(groupSource('[[:alpha:]](b)', 1)).toBeUndefined();
    expect(groupSource('(a', 1)).toBeUndefined();
  });
});

describe('secretShape', () => {
  it('is the secret group of a built-in rule, and none for a whole-match rule', () => {
    const rule = loadRules().find((r) => r.info.id === 'segment-config-api-token');
    expect(rule && secretShape(rule.pattern.source, rule.secretGroup)?.source).toBe(String.raw`(?ims)(?:[A-Za-z0-9_\-]{43}\.[A-Za-z0-9_\-]{43})`);
    expect(secretShape('sgp_[a-z]{8}', 0)).toBeUndefined();
  });

  it('is none where the pattern is little more than its group: the check would only add a pass', () => {
    expect(secretShape(String.raw`(?:^|[^A-Za-z0-9_])([A-Za-z0-9]{32})(?:$|[^A-Za-z0-9_])`, 1)).toBeUndefined();
    expect(secretShape(String.raw`\b(sgp_[A-Za-z0-9]{64})\b`, 1)).toBeUndefined();
    // Context of up to 300 characters makes the Config API rule several times its token's size.
    expect(secretShape(String.raw`(?i)segment[^\n]{0,300}?([A-Za-z0-9_\-]{43}\.[A-Za-z0-9_\-]{43})`, 1)).toBeDefined();
  });

  it('takes along the plain characters that must follow the group, and only those', () => {
    const context = '(?:curl|Basic|btoa)[^\\n]{0,40}?';
    const shapeOf = (after: string) => secretShape(`${context}([A-Za-z0-9]{32})${after}`, 1)?.source;
    expect(shapeOf(':(?:["\']|$)')).toBe('(?ims)(?:[A-Za-z0-9]{32}):');
    expect(shapeOf(String.raw`\.key=x`)).toBe(String.raw`(?ims)(?:[A-Za-z0-9]{32})\.key=x`);
    expect(shapeOf(':?x')).toBe('(?ims)(?:[A-Za-z0-9]{32})'); // optional
    expect(shapeOf(String.raw`\d`)).toBe('(?ims)(?:[A-Za-z0-9]{32})'); // a class, not a character
    expect(shapeOf('|x')).toBe('(?ims)(?:[A-Za-z0-9]{32})'); // another branch
    expect(shapeOf('ab*')).toBe('(?ims)(?:[A-Za-z0-9]{32})a'); // b may not be there
    // The Basic-auth rule's shape holds the colon its key is followed by.
    const rule = loadRules().find((r) => r.info.id === 'segment-write-key-basic-auth');
    expect(rule && secretShape(rule.pattern.source, rule.secretGroup)?.source).toBe('(?ims)(?:[A-Za-z0-9]{32}):');
  });

  it('matches whatever the group matches under the flags the pattern sets around it', () => {
    // Written lower-case, the group takes upper case here only through the pattern's (?i).
    const dir = tempDir({
      'flags.yaml': [
        'id: hex-key', 'title: Hex key', 'description: A user rule whose secret group is case-insensitive by a flag set before it.', 'kind: generic',
        'severity: low', "keywords: ['hexkey']", String.raw`pattern: '(?i)hexkey=([a-f0-9]{32})\b'`, 'verify: none', 'remediation: Rotate the key.',
        'examples:', "  match: ['hexkey=0123456789abcdef0123456789abcdef']", '  noMatch: []', '',
      ].join('\n'),
    });
    const engine = createEngine(loadRules({ builtin: false, extraDirs: [dir] }));
    const key = 'F3A9C2E71B0D4856AE29C7F1D3B8E46A'; // fake, upper case
    const result = scanContent(engine, Buffer.from(`x\nHEXKEY=${key}\n`), { path: 'a.cfg', startLine: 1 });
    expect(result.outcome === 'scanned' ? result.findings.map((f) => [f.secret, f.start.line, f.start.column]) : result).toEqual([[key, 2, 8]]);
  });
});
