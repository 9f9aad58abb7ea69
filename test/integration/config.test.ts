// `.segscan.yaml`: where it is found, what it sets, how the command line overrides it, and how a
// broken one stops the run (exit 2, one line naming the key, never a value from the file).
import { cpSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/parse.js';
import { STARTER_CONFIG } from '../../src/config/starter.js';
import { fakeCredentials } from '../../src/rules/templates.js';
import { runCli } from '../helpers/cli.js';
import { FIXTURES } from '../helpers/fixtureTree.js';
import { startFakeSegment } from '../verify/fakeSegment.js';
import { envKey, expectOneLineError, makeTree, parseReport, removeTrees, writeTree } from './support.js';

afterAll(removeTrees);

const a = envKey('config-a');
const b = envKey('config-b');

async function scan(args: string[], cwd: string) {
  return runCli(args, { cwd });
}

async function findings(args: string[], cwd: string) {
  const result = await scan([...args, '--format', 'json'], cwd);
  expect([0, 1], result.stderr).toContain(result.exitCode);
  return parseReport(result).findings.map((f) => f.path).sort();
}

describe('config discovery', () => {
  it('uses the nearest .segscan.yaml walking up from the scanned path to the repository root', async () => {
    const repo = makeTree({ '.git/HEAD': 'ref: refs/heads/main\n', '.segscan.yaml': 'exclude: ["skip.env"]\n', 'app/deep/keep.env': a.line, 'app/deep/skip.env': b.line });
    const elsewhere = makeTree();
    expect(await findings(['dir', join(repo, 'app/deep')], elsewhere)).toEqual(['keep.env']);
    expect(await findings(['dir', join(repo, 'app')], elsewhere)).toEqual(['deep/keep.env']);
  });

  it('prefers a nearer config over one at the repository root', async () => {
    const repo = makeTree({ '.git/HEAD': '', '.segscan.yaml': 'exclude: ["a.env"]\n', 'sub/.segscan.yaml': 'exclude: ["b.env"]\n', 'sub/a.env': a.line, 'sub/b.env': b.line });
    expect(await findings(['dir', 'sub'], repo)).toEqual(['a.env']);
    // One config per scan: the root's, for a scan of the root (configs are not merged).
    expect(await findings(['dir', '.'], repo)).toEqual(['sub/b.env']);
  });

  it('stops at the repository root: a config above it is not used', async () => {
    const outer = makeTree({ '.segscan.yaml': 'exclude: ["*.env"]\n', 'repo/.git/HEAD': '', 'repo/a.env': a.line });
    expect(await findings(['dir', 'repo'], outer)).toEqual(['a.env']);
  });

  it('outside a repository, walks up to the filesystem root', async () => {
    const outer = makeTree({ '.segscan.yaml': 'exclude: ["*.env"]\n', 'x/y/z/a.env': a.line });
    expect(await findings(['dir', 'x/y/z'], outer)).toEqual([]);
  });

  it('searches from the working directory for stdin, and from the repository for git and staged', async () => {
    const dir = makeTree({ '.segscan.yaml': 'rules:\n  disable: [segment-credential-variable, segment-write-key-in-context, segment-write-key-property]\n' });
    const viaStdin = await runCli(['stdin', '--path', '.env', '--format', 'json'], { cwd: dir, stdin: a.line });
    expect(parseReport(viaStdin).findings).toEqual([]);
    const other = makeTree();
    const again = await runCli(['stdin', '--path', '.env', '--format', 'json'], { cwd: other, stdin: a.line });
    expect(parseReport(again).findings.map((f) => f.ruleId)).toEqual(['segment-credential-variable']);
  });

  it('--config FILE uses that file; --no-config uses none', async () => {
    const tree = makeTree({ 'a.env': a.line, '.segscan.yaml': 'exclude: ["a.env"]\n' });
    const other = makeTree({ 'policy.yaml': 'exclude: ["b.env"]\n' });
    writeTree(tree, { 'b.env': b.line });
    expect(await findings(['dir', '.'], tree)).toEqual(['b.env']);
    expect(await findings(['dir', '.', '--config', join(other, 'policy.yaml')], tree)).toEqual(['a.env']);
    expect(await findings(['dir', '.', '--no-config'], tree)).toEqual(['a.env', 'b.env']);
    expectOneLineError(await scan(['dir', '.', '--config', 'missing.yaml'], tree), 'config file not found: missing.yaml');
  });

  it('says which config it uses with --verbose', async () => {
    const tree = makeTree({ '.segscan.yaml': 'version: 1\n' });
    const result = await scan(['dir', '.', '--verbose'], tree);
    expect(result.stderr).toContain('using config .segscan.yaml');
  });
});

describe('config settings and command-line precedence', () => {
  it('output.format is the default format; --format on the command line wins', async () => {
    const tree = makeTree({ '.segscan.yaml': 'output:\n  format: json\n', 'a.env': a.line });
    const fromConfig = await scan(['dir', '.'], tree);
    expect(parseReport(fromConfig).findings).toHaveLength(1);
    const typed = await scan(['dir', '.', '--format', 'text'], tree);
    expect(typed.stdout).toContain('a.env:1:');
    expect(() => JSON.parse(typed.stdout) as unknown).toThrow();
  });

  it('a flag typed with its default value still beats the config', async () => {
    const tree = makeTree({ '.segscan.yaml': 'output:\n  format: json\ninlineIgnores: false\n', 'a.env': `${a.line.trim()} # segscan:allow\n` });
    const typed = await scan(['dir', '.', '--format', 'text', '--inline-ignores'], tree);
    expect(typed.exitCode).toBe(0);
    expect(typed.stdout).toContain('No Segment credentials found');
  });

  it('inlineIgnores: false reports lines marked segscan:allow; --inline-ignores restores them', async () => {
    const tree = makeTree({ 'a.env': `${a.line.trim()} # segscan:allow\n` });
    expect(await findings(['dir', '.'], tree)).toEqual([]);
    writeTree(tree, { '.segscan.yaml': 'inlineIgnores: false\n' });
    expect(await findings(['dir', '.'], tree)).toEqual(['a.env']);
    expect(await findings(['dir', '.', '--inline-ignores'], tree)).toEqual([]);
    expect(await findings(['dir', '.', '--no-config', '--no-inline-ignores'], tree)).toEqual(['a.env']);
  });

  it('maxFileSize sets the limit; --max-file-size overrides it', async () => {
    const tree = makeTree({ '.segscan.yaml': 'maxFileSize: 100\n', 'big.env': `${'#'.repeat(200)}\n${a.line}` });
    const limited = parseReport(await scan(['dir', '.', '--format', 'json'], tree));
    expect(limited.findings).toEqual([]);
    expect(limited.skipped).toEqual([expect.objectContaining({ path: 'big.env', reason: 'too-large' })]);
    expect(await findings(['dir', '.', '--max-file-size', '1MiB'], tree)).toEqual(['big.env']);
  });

  it('combines list settings with the command line: include, exclude, rules.disable', async () => {
    const keys = fakeCredentials('config-lists');
    const tree = makeTree({
      '.segscan.yaml': 'exclude: ["one.env"]\nrules:\n  disable: [segment-public-api-token]\n',
      'one.env': a.line,
      'two.env': b.line,
      'three.env': envKey('config-c').line,
      'token.txt': `token: ${keys.publicApiToken}\n`,
    });
    expect(await findings(['dir', '.'], tree)).toEqual(['three.env', 'two.env']);
    expect(await findings(['dir', '.', '--exclude', 'two.env'], tree)).toEqual(['three.env']);
    expect(await findings(['dir', '.', '--include', '*.txt', '--no-config'], tree)).toEqual(['token.txt']);
    expect(await findings(['dir', '.', '--include', '*.txt'], tree)).toEqual([]);
  });

  it('include globs select what is scanned', async () => {
    const tree = makeTree({ '.segscan.yaml': 'include: ["deploy/**"]\n', 'deploy/.env': a.line, 'other/.env': b.line });
    expect(await findings(['dir', '.'], tree)).toEqual(['deploy/.env']);
  });

  it("a policy file's rules.directories are relative to it, wherever segscan runs from", async () => {
    const token = `acmerelay_${fakeCredentials('relay').writeKey.slice(0, 24)}`;
    const policy = makeTree({ 'policy.yaml': 'rules:\n  directories: [team-rules]\n' });
    cpSync(join(FIXTURES, 'integration/config-rules'), join(policy, 'team-rules'), { recursive: true });
    const project = makeTree({ 'src/relay.py': `RELAY = '${token}'\n` });
    const elsewhere = makeTree();
    const report = parseReport(await scan(['dir', join(project, 'src'), '--config', join(policy, 'policy.yaml'), '--format', 'json'], elsewhere));
    expect(report.findings.map((f) => [f.ruleId, f.path])).toEqual([['acme-relay-token', 'relay.py']]);
    expect(JSON.stringify(report)).not.toContain(token);
  });

  it("the scanned tree's rules.directories load no rule: the report says so and names --rules", async () => {
    const token = `acmerelay_${fakeCredentials('relay').writeKey.slice(0, 24)}`;
    const project = makeTree({ '.segscan.yaml': 'rules:\n  directories: [team-rules]\n', 'src/relay.py': `RELAY = '${token}'\n` });
    cpSync(join(FIXTURES, 'integration/config-rules'), join(project, 'team-rules'), { recursive: true });
    const report = parseReport(await scan(['dir', '.', '--format', 'json'], project));
    expect(report.findings).toEqual([]);
    expect(report.warnings).toContain(".segscan.yaml: 'rules.directories' ignored: a config in the scanned tree may not set it; pass --rules DIR on the command line");
    const optedIn = parseReport(await scan(['dir', '.', '--rules', 'team-rules', '--format', 'json'], project));
    expect(optedIn.findings.map((f) => f.ruleId)).toEqual(['acme-relay-token']);
  });

  it('allowlist.fingerprints and allowlist.paths drop findings by identity and path', async () => {
    const tree = makeTree({ 'a.env': a.line, 'b.env': b.line, 'docs/example.env': envKey('config-doc').line });
    const all = parseReport(await scan(['dir', '.', '--format', 'json'], tree)).findings;
    expect(all.map((f) => f.path).sort()).toEqual(['a.env', 'b.env', 'docs/example.env']);
    const fingerprint = all.find((f) => f.path === 'a.env')?.fingerprint ?? '';
    writeTree(tree, { '.segscan.yaml': `allowlist:\n  fingerprints: ["${fingerprint}"]\n  paths: ["docs/**"]\n` });
    expect(await findings(['dir', '.'], tree)).toEqual(['b.env']);
  });

  it("a policy file's output.file writes the report beside it; --output wins", async () => {
    const policy = makeTree({ 'policy.yaml': 'output:\n  format: sarif\n  file: segscan.sarif\n' });
    const tree = makeTree({ 'src/a.env': a.line });
    const result = await scan(['dir', '.', '--config', join(policy, 'policy.yaml')], join(tree, 'src'));
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toBe('');
    const sarif = readFileSync(join(policy, 'segscan.sarif'), 'utf8');
    expect((JSON.parse(sarif) as { version: string }).version).toBe('2.1.0');
    expect(sarif).not.toContain(a.secret);
    const typed = await scan(['dir', '.', '--config', join(policy, 'policy.yaml'), '--output', 'mine.sarif'], join(tree, 'src'));
    expect(typed.exitCode).toBe(1);
    expect(existsSync(join(tree, 'src', 'mine.sarif'))).toBe(true);
  });

  it("the scanned tree's output.file writes nothing: the report goes to stdout and says why", async () => {
    const tree = makeTree({ '.segscan.yaml': 'output:\n  format: sarif\n  file: segscan.sarif\n', 'src/a.env': a.line });
    const result = await scan(['dir', '.'], tree);
    expect(result.exitCode).toBe(1);
    expect(existsSync(join(tree, 'segscan.sarif'))).toBe(false);
    const sarif = JSON.parse(result.stdout) as { runs: Array<{ invocations: Array<{ toolExecutionNotifications: Array<{ message: { text: string } }> }> }> };
    const notes = sarif.runs[0]?.invocations[0]?.toolExecutionNotifications.map((n) => n.message.text) ?? [];
    expect(notes).toContain(".segscan.yaml: 'output.file' ignored: a config in the scanned tree may not set it; pass --output on the command line.");
  });

  it("the scanned tree's verify settings make no request; the report names --verify", async () => {
    const segment = await startFakeSegment();
    try {
      const tree = makeTree({ '.segscan.yaml': 'verify:\n  enabled: true\n  failOn: live\n  timeout: 0.001\n', 'a.env': a.line });
      const endpoints = Object.entries(segment.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]);
      const result = await scan(['dir', '.', '--format', 'json', ...endpoints], tree);
      const report = parseReport(result);
      expect(report.findings.map((f) => [f.path, f.verification])).toEqual([['a.env', undefined]]);
      expect(result.exitCode).toBe(1);
      expect(segment.requests).toEqual([]);
      expect(report.warnings.some((w) => w.includes("'verify' ignored") && w.includes('--verify'))).toBe(true);
    } finally {
      await segment.close();
    }
  });

  it("a policy file's verify settings turn verification on; command-line flags still set the endpoints", async () => {
    const segment = await startFakeSegment();
    try {
      segment.liveWriteKeys.add(a.secret);
      const policy = makeTree({ 'policy.yaml': 'verify:\n  enabled: true\n  failOn: live\n' });
      const tree = makeTree({ '.segscan.yaml': 'exclude: []\n', 'a.env': a.line, 'b.env': b.line });
      const endpoints = [...Object.entries(segment.endpoints).flatMap(([host, url]) => ['--verify-endpoint', `${host}=${url}`]), '--config', join(policy, 'policy.yaml')];
      const result = await scan(['dir', '.', '--format', 'json', ...endpoints], tree);
      const report = parseReport(result);
      const status = Object.fromEntries(report.findings.map((f) => [f.path, f.verification?.status]));
      expect(status).toEqual({ 'a.env': 'live', 'b.env': 'invalid' });
      expect(result.exitCode).toBe(1);
      segment.liveWriteKeys.clear();
      const noneLive = await scan(['dir', '.', '--format', 'json', ...endpoints], tree);
      expect(noneLive.exitCode).toBe(0);
      const overridden = await scan(['dir', '.', '--format', 'json', '--fail-on', 'any', '--no-verify', ...endpoints], tree);
      expect(overridden.exitCode).toBe(1);
      expect(parseReport(overridden).findings.every((f) => f.verification === undefined)).toBe(true);
    } finally {
      await segment.close();
    }
  });
});

describe('config validation: exit 2, one line naming the key', () => {
  const repoWith = (text: string) => makeTree({ '.segscan.yaml': text, 'a.env': a.line });
  const cases: Array<[string, string, string[]]> = [
    ['unknown top-level key', 'excludes: ["x"]\n', ["unknown key 'excludes' (line 1)", 'allowed keys here: version, include, exclude']],
    ['unknown key under verify', 'verify:\n  enable: true\n', ["unknown key 'verify.enable' (line 2)", 'enabled, concurrency, timeout, onlyVerified, failOn']],
    ['unknown key under rules', 'rules:\n  disabled: [x]\n', ["unknown key 'rules.disabled' (line 2)"]],
    ['unknown key under allowlist', 'allowlist:\n  fingerprint: []\n', ["unknown key 'allowlist.fingerprint' (line 2)"]],
    ['unknown key under output', 'output:\n  path: out.sarif\n', ["unknown key 'output.path' (line 2)"]],
    ['a glob list given as one string', 'include: "src/**"\n', ["'include' must be a list (line 1)"]],
    ['a glob that is not a string', 'exclude:\n  - 12\n', ["'exclude[0]' must be a string (line 2)"]],
    ['an empty glob', 'exclude: [""]\n', ["'exclude[0]' must not be empty"]],
    ['a size that is not a size', 'maxFileSize: lots\n', ["'maxFileSize' must be a size such as 10MiB"]],
    ['a zero size', 'maxFileSize: 0\n', ["'maxFileSize' must be >= 1"]],
    ['a boolean written as a word', 'inlineIgnores: "no"\n', ["'inlineIgnores' must be true or false (line 1)"]],
    ['rules given as a list', 'rules: [a]\n', ["'rules' must be a mapping of keys"]],
    ['a rule id in the wrong form', 'rules:\n  disable: [Not An Id]\n', ["'rules.disable[0]' must be a rule id"]],
    ['a fingerprint in the wrong form', 'allowlist:\n  fingerprints: [abc]\n', ["'allowlist.fingerprints[0]' must be a 32-character hex fingerprint"]],
    ['verify.enabled not a boolean', 'verify:\n  enabled: sometimes\n', ["'verify.enabled' must be true or false"]],
    ['verify.concurrency a fraction', 'verify:\n  concurrency: 2.5\n', ["'verify.concurrency' must be a whole number"]],
    ['verify.concurrency zero', 'verify:\n  concurrency: 0\n', ["'verify.concurrency' must be >= 1"]],
    ['verify.timeout not a number', 'verify:\n  timeout: soon\n', ["'verify.timeout' must be a number"]],
    ['verify.failOn unknown', 'verify:\n  failOn: sometimes\n', ["'verify.failOn' must be one of any, live"]],
    ['verify.onlyVerified not a boolean', 'verify:\n  onlyVerified: 1\n', ["'verify.onlyVerified' must be true or false"]],
    ['output.format unknown', 'output:\n  format: xml\n', ["'output.format' must be one of text, json, sarif, github (line 2)"]],
    ['output.file not a string', 'output:\n  file: 5\n', ["'output.file' must be a string"]],
    ['baseline not a string', 'baseline: [a]\n', ["'baseline' must be a string"]],
    ['an unknown version', 'version: 2\n', ["'version' must be 1"]],
    ['a list instead of a mapping', '- exclude\n', ['the file must be a mapping of keys']],
    ['broken YAML', 'exclude: [a\n', ['not valid YAML (line']],
    ['a key given twice', 'exclude: []\nexclude: []\n', ['not valid YAML (line 2): a key appears twice']],
  ];

  it.each(cases)('%s', async (_name, text, parts) => {
    const tree = repoWith(text);
    expectOneLineError(await scan(['dir', '.'], tree), '.segscan.yaml: ', ...parts);
  });

  // A policy file may set what the scanned tree's config may not; its paths are checked.
  const policyCases: Array<[string, string, string[]]> = [
    ['a rule directory that does not exist', 'rules:\n  directories: [nowhere]\n', ["'rules.directories[0]' is not a directory"]],
    ['output.file outside the config directory', 'output:\n  file: ../elsewhere.sarif\n', ["'output.file' must be a relative path inside the config file's directory"]],
  ];
  it.each(policyCases)('policy file: %s', async (_name, text, parts) => {
    const policy = makeTree({ 'policy.yaml': text });
    const tree = makeTree({ 'a.env': a.line });
    expectOneLineError(await scan(['dir', '.', '--config', join(policy, 'policy.yaml')], tree), 'policy.yaml: ', ...parts);
  });

  it('stops git, staged and stdin scans the same way', async () => {
    const tree = repoWith('verify:\n  enable: true\n');
    for (const argv of [['stdin'], ['dir', 'a.env'], ['baseline', 'dir', '.']]) {
      expectOneLineError(await runCli(argv, { cwd: tree, stdin: 'x' }), "unknown key 'verify.enable'");
    }
  });

  it('never prints a value from the file, and redacts a key name that looks like a pasted secret', async () => {
    const { publicApiToken, writeKey } = fakeCredentials('config-leak');
    const tree = repoWith(`allowlist:\n  fingerprints: ["${writeKey}"]\n`);
    const fingerprint = expectOneLineError(await scan(['dir', '.'], tree), "'allowlist.fingerprints[0]'");
    expect(fingerprint).not.toContain(writeKey);
    writeTree(tree, { '.segscan.yaml': `${publicApiToken}: true\nverify:\n  timeout: "${writeKey}"\n` });
    const key = expectOneLineError(await scan(['dir', '.'], tree), 'unknown key');
    expect(key).not.toContain(publicApiToken);
    expect(key).toContain('sgp_');
    writeTree(tree, { '.segscan.yaml': `verify:\n  timeout: "${writeKey}"\n` });
    expect(expectOneLineError(await scan(['dir', '.'], tree), "'verify.timeout' must be a number")).not.toContain(writeKey);
  });

  it('treats a key with every child commented out as unset', () => {
    expect(parseConfigText('output:\n  # format: json\nrules:\n', 'x.yaml')).toEqual({});
  });
});

describe('segscan init', () => {
  it('writes a commented starter file that validates and changes nothing by itself', async () => {
    const tree = makeTree({ 'a.env': a.line });
    const result = await runCli(['init'], { cwd: tree });
    expect(result.exitCode).toBe(0);
    const text = readFileSync(join(tree, '.segscan.yaml'), 'utf8');
    expect(text).toBe(STARTER_CONFIG);
    expect(text.split('\n').filter((l) => l.trim().startsWith('#')).length).toBeGreaterThan(20);
    expect(await findings(['dir', '.'], tree)).toEqual(['a.env']);
    for (const key of ['include', 'exclude', 'maxFileSize', 'inlineIgnores', 'disable', 'directories', 'fingerprints', 'paths', 'enabled', 'concurrency', 'timeout', 'onlyVerified', 'failOn', 'format', 'file', 'baseline']) {
      expect(text, key).toMatch(new RegExp(`^\\s*#?\\s*${key}:`, 'm'));
    }
  });

  it('every commented-out setting is valid when uncommented', () => {
    const uncommented = STARTER_CONFIG.split('\n')
      .map((l) => l.replace(/^(\s*)# (\s*(?:[a-zA-Z]+:|- ).*)$/, '$1$2').replace(/\s+#.*$/, ''))
      .join('\n');
    expect(uncommented).not.toBe(STARTER_CONFIG);
    const content = parseConfigText(uncommented, 'starter');
    expect(content).toMatchObject({ include: ['src/**'], exclude: ['fixtures/**'], maxFileSize: '10MiB', verify: { failOn: 'any' }, output: { format: 'text' } });
  });

  it('refuses to overwrite without --force', async () => {
    const tree = makeTree({ '.segscan.yaml': 'exclude: ["mine"]\n' });
    expectOneLineError(await runCli(['init'], { cwd: tree }), '.segscan.yaml already exists; pass --force');
    expect(readFileSync(join(tree, '.segscan.yaml'), 'utf8')).toBe('exclude: ["mine"]\n');
    expect((await runCli(['init', '--force'], { cwd: tree })).exitCode).toBe(0);
    expect(readFileSync(join(tree, '.segscan.yaml'), 'utf8')).toBe(STARTER_CONFIG);
  });

  it('writes into a given directory, and prints the JSON Schema with --schema', async () => {
    const tree = makeTree();
    mkdirSync(join(tree, 'svc'));
    expect((await runCli(['init', 'svc'], { cwd: tree })).exitCode).toBe(0);
    expect(existsSync(join(tree, 'svc/.segscan.yaml'))).toBe(true);
    const schema = await runCli(['init', '--schema'], { cwd: tree });
    expect((JSON.parse(schema.stdout) as { title: string }).title).toContain('.segscan.yaml');
    expect(existsSync(join(tree, '.segscan.yaml'))).toBe(false);
  });
});
