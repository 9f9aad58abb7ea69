// The push parsers of git's output must give the same answers however the pipe splits the bytes:
// every test here feeds the same output whole, byte by byte, and cut at random places.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CatFileFormatError, CatFileParser, type CatFileAnswer } from '../../src/sources/gitCatFileParser.js';
import { LogFormatError, RawLogParser, type CommitChanges } from '../../src/sources/gitLog.js';
import { parseRawEntry } from '../../src/sources/gitRawDiff.js';

const ID_A = 'a'.repeat(40);
const ID_B = 'b'.repeat(40);
const ID_C = 'c'.repeat(40);
const NULL = '0'.repeat(40);

function pieces(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let from = 0;
  for (const at of [...points, data.length]) {
    out.push(data.subarray(from, at));
    from = at;
  }
  return out;
}

/** `withContent` as a function is asked with the number of answers so far (--batch-command). */
function catFile(withContent: boolean | ((answered: number) => boolean), chunks: Buffer[]): { answers: Array<Omit<CatFileAnswer, 'content'> & { text?: string }>; midAnswer: boolean } {
  const answers: Array<Omit<CatFileAnswer, 'content'> & { text?: string }> = [];
  const parser = new CatFileParser(typeof withContent === 'boolean' ? withContent : () => withContent(answers.length), (answer) => {
    if (answer.kind === 'found' && answer.content) {
      const { content, ...rest } = answer;
      answers.push({ ...rest, text: content.toString('latin1') });
    } else answers.push(answer);
  });
  for (const chunk of chunks) parser.push(chunk);
  return { answers, midAnswer: parser.midAnswer };
}

describe('CatFileParser', () => {
  // Contents chosen to trip a parser: an empty blob, one that is only a newline, one that looks
  // like a header, binary bytes with NUL and LF.
  const blobs = [
    { id: ID_A, content: Buffer.from('') },
    { id: ID_B, content: Buffer.from('\n') },
    { id: ID_C, content: Buffer.from(`${ID_A} blob 12\nnot a header\n`) },
    { id: ID_A, content: Buffer.from([0, 10, 255, 10, 0]) },
  ];
  const batch = Buffer.concat([
    ...blobs.flatMap(({ id, content }) => [Buffer.from(`${id} blob ${content.length}\n`), content, Buffer.from('\n')]),
    Buffer.from(`${ID_B} missing\n`),
  ]);
  const expected = [
    ...blobs.map(({ id, content }) => ({ kind: 'found', id, type: 'blob', size: content.length, text: content.toString('latin1') })),
    { kind: 'missing', name: ID_B },
  ];

  it('reads --batch-command answers, where the caller says which carry content, the same whole and cut anywhere', () => {
    // info A, contents B, info (missing) C, contents A: headers alike, only contents has a body.
    const mixed = Buffer.from(`${ID_A} blob 3\n${ID_B} blob 4\nab\nc\n${ID_C} missing\n${ID_A} blob 3\nxyz\n`);
    const expectedMixed = [
      { kind: 'found', id: ID_A, type: 'blob', size: 3 },
      { kind: 'found', id: ID_B, type: 'blob', size: 4, text: 'ab\nc' },
      { kind: 'missing', name: ID_C },
      { kind: 'found', id: ID_A, type: 'blob', size: 3, text: 'xyz' },
    ];
    const contentDue = [false, true, false, true];
    const read = (chunks: Buffer[]) => catFile((answered) => contentDue[answered]!, chunks);
    expect(read([mixed])).toEqual({ answers: expectedMixed, midAnswer: false });
    expect(read([...mixed].map((b) => Buffer.from([b])))).toEqual({ answers: expectedMixed, midAnswer: false });
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
      expect(read(pieces(mixed, cuts))).toEqual({ answers: expectedMixed, midAnswer: false });
    }));
  });

  it('reads --batch answers the same whole, byte by byte, and cut anywhere', () => {
    expect(catFile(true, [batch])).toEqual({ answers: expected, midAnswer: false });
    expect(catFile(true, [...batch].map((b) => Buffer.from([b])))).toEqual({ answers: expected, midAnswer: false });
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
      expect(catFile(true, pieces(batch, cuts))).toEqual({ answers: expected, midAnswer: false });
    }));
  });

  it('hands a blob that arrived in one chunk out as a view of that chunk, and gathers one that did not', () => {
    const views: Buffer[] = [];
    const parser = new CatFileParser(true, (answer) => answer.kind === 'found' && views.push(answer.content!));
    const chunk = Buffer.from(`${ID_A} blob 5\nhello\n${ID_B} blob 5\nwor`);
    parser.push(chunk);
    parser.push(Buffer.from('ld\n'));
    expect(views.map(String)).toEqual(['hello', 'world']);
    const inChunk = (view: Buffer) => view.buffer === chunk.buffer && view.byteOffset >= chunk.byteOffset && view.byteOffset < chunk.byteOffset + chunk.length;
    expect(inChunk(views[0]!)).toBe(true);
    expect(inChunk(views[1]!)).toBe(false);
  });

  it('reads --batch-check answers, and knows when the stream stopped part way', () => {
    const check = Buffer.from(`${ID_A} blob 10\n${ID_B} missing\n${ID_C} tree 99\n`);
    const answers = [
      { kind: 'found', id: ID_A, type: 'blob', size: 10 },
      { kind: 'missing', name: ID_B },
      { kind: 'found', id: ID_C, type: 'tree', size: 99 },
    ];
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 6 }), (cuts) => {
      expect(catFile(false, pieces(check, cuts)).answers).toEqual(answers);
    }));
    expect(catFile(false, [check.subarray(0, 20)]).midAnswer).toBe(true);
    expect(catFile(true, [batch.subarray(0, batch.length - 30)]).midAnswer).toBe(true);
  });

  it('rejects output that is not an answer', () => {
    expect(() => catFile(true, [Buffer.from(`${ID_A} blob -3\n`)])).toThrow(CatFileFormatError);
    expect(() => catFile(false, [Buffer.from(`${ID_A} blob many\n`)])).toThrow(CatFileFormatError);
  });
});

describe('RawLogParser', () => {
  // `--format=%H -z`: the id and a NUL; a commit without changes is followed by an empty token.
  const header = (sha: string) => `${sha}\0`;
  const log = Buffer.from([
    header(ID_A),
    `\n:000000 100644 ${NULL} ${ID_B} A\0dir/file one.txt\0`,
    `:000000 120000 ${NULL} ${ID_C} A\0link\0`,
    header(ID_B), '\0', // a commit with no changes
    header(ID_C),
    `\n::100644 100644 100644 ${ID_A} ${ID_B} ${ID_C} MM\0merged.txt\0`,
  ].join(''));
  const expected = [
    { sha: ID_A, changes: [['dir/file one.txt', ID_B, '100644'], ['link', ID_C, '120000']] },
    { sha: ID_B, changes: [] },
    { sha: ID_C, changes: [['merged.txt', ID_C, '100644']] },
  ];
  const parse = (chunks: Buffer[]) => {
    const commits: CommitChanges[] = [];
    const parser = new RawLogParser((c) => commits.push(c));
    for (const chunk of chunks) parser.push(chunk);
    parser.end();
    return commits.map(({ sha, changes }) => ({ sha, changes: changes.map((c) => [c.path, c.id, c.mode]) }));
  };

  it('gives the same commits and changes whole, byte by byte, and cut anywhere', () => {
    expect(parse([log])).toEqual(expected);
    expect(parse([...log].map((b) => Buffer.from([b])))).toEqual(expected);
    fc.assert(fc.property(fc.array(fc.nat(), { maxLength: 12 }), (cuts) => {
      expect(parse(pieces(log, cuts))).toEqual(expected);
    }));
  });

  it('keeps non-ASCII paths exact across chunk cuts', () => {
    const name = 'répertoire/ファイル.txt';
    const data = Buffer.from(`${header(ID_A)}\n:000000 100644 ${NULL} ${ID_B} A\0${name}\0`);
    const commits: CommitChanges[] = [];
    const parser = new RawLogParser((c) => commits.push(c));
    for (const b of data) parser.push(Buffer.from([b]));
    parser.end();
    expect(commits[0]!.sha).toBe(ID_A);
    expect(commits[0]!.changes[0]!.path).toBe(name);
  });

  it('says what it expected when the log stops part way or is malformed', () => {
    expect(() => parse([log.subarray(0, log.indexOf('merged.txt'))])).toThrow(new LogFormatError('a path'));
    expect(() => parse([Buffer.from(ID_A.slice(0, 20))])).toThrow(new LogFormatError('a commit header'));
    expect(() => parse([Buffer.from(`not-a-sha\0`)])).toThrow(new LogFormatError('a commit header'));
    expect(() => parse([Buffer.from(`${header(ID_A)}\n:garbage\0p\0`)])).toThrow(new LogFormatError('a raw diff entry'));
  });
});

describe('parseRawEntry', () => {
  const id = fc.stringMatching(/^[0-9a-f]{40}$/);
  const mode = fc.constantFrom('000000', '100644', '100755', '120000', '160000');
  const status = fc.constantFrom('A', 'M', 'D', 'T', 'R100', 'C075', 'MM', 'AM');

  it('reads the result side of ordinary and combined entries', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3 }), fc.array(mode, { minLength: 4, maxLength: 4 }), fc.array(id, { minLength: 4, maxLength: 4 }), status, (colons, modes, ids, letters) => {
      const sides = colons + 1;
      const token = `${':'.repeat(colons)}${[...modes.slice(0, sides), ...ids.slice(0, sides), letters].join(' ')}`;
      // The reference: split on spaces; the last mode and id are the result.
      const pathCount = colons === 1 && /^[RC]/.test(letters) ? 2 : 1;
      expect(parseRawEntry(token)).toEqual({ mode: modes[sides - 1], id: ids[sides - 1], status: letters, pathCount });
    }));
  });

  it('rejects tokens that are not raw entries', () => {
    for (const token of ['', 'no colon', ':garbage', `:100644 ${ID_A} A`, `::100644 100644 ${ID_A} ${ID_B} MM`, `:100644 100644 ${ID_A} ${ID_B} M extra`]) {
      expect(parseRawEntry(token)).toBeUndefined();
    }
  });
});
