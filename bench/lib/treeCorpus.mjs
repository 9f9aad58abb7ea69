// The tree corpus: real files from a fixed list of npm packages (installed at pinned versions,
// transitive versions frozen with --before) plus generated files of every common kind, with
// planted fake keys recorded in manifest.json (path, line, column, kind, sha256 of the secret,
// redacted form; never the raw secret). Installed packages go to vendor/ (nested node_modules
// renamed) because segscan skips node_modules by default and the comparison must read the same
// bytes as ripgrep.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CONTEXTS, credentialsFor, decoys } from './plants.mjs';
import { TextGen } from './textGen.mjs';

export const TREE_PACKAGES = {
  typescript: '5.6.3',
  'monaco-editor': '0.52.0',
  three: '0.169.0',
  'aws-sdk': '2.1691.0',
  googleapis: '144.0.0',
  echarts: '5.5.1',
  rxjs: '7.8.1',
  lodash: '4.17.21',
  'react-dom': '18.3.1',
  'date-fns': '3.6.0',
  '@angular/core': '18.2.8',
  '@babel/core': '7.25.8',
  '@babel/preset-env': '7.25.8',
};
/** Transitive dependencies resolve as they did on this date, so the corpus does not drift. */
export const NPM_BEFORE = '2025-01-01';
const GENERATOR_VERSION = 3;

export function treeSpec(scale) {
  return { corpus: 'tree', packages: TREE_PACKAGES, before: NPM_BEFORE, generator: GENERATOR_VERSION, contexts: CONTEXTS.length, scale };
}

const SERVICES = ['billing', 'checkout', 'identity', 'catalog', 'search', 'notifications', 'reporting', 'gateway', 'inventory', 'shipping', 'web', 'admin'];

function installPackages(log) {
  const work = mkdtempSync(join(tmpdir(), 'segscan-bench-npm-'));
  writeFileSync(join(work, 'package.json'), JSON.stringify({ name: 'segscan-bench-corpus', private: true, dependencies: TREE_PACKAGES }, null, 2));
  log(`npm install ${Object.keys(TREE_PACKAGES).length} packages (before ${NPM_BEFORE}) into ${work}`);
  execFileSync('npm', ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--no-update-notifier', `--before=${NPM_BEFORE}`], { cwd: work, stdio: ['ignore', 'ignore', 'inherit'] });
  return work;
}

/** Rename every node_modules directory below `dir` so segscan's default excludes don't skip it. */
function renameNestedModules(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    let path = join(dir, entry.name);
    if (entry.name === 'node_modules') {
      const renamed = join(dir, '_modules');
      renameSync(path, renamed);
      path = renamed;
    }
    renameNestedModules(path);
  }
}

/**
 * The packages alone, for `npm run bench -- --make-npm-tree DIR`: real package code to measure
 * `--tree` on, with no planted keys. Nested node_modules are renamed as in the corpus, so
 * segscan's default excludes leave it the same bytes as `rg -uuu`.
 */
export function installNpmTree(dest, log) {
  if (existsSync(dest)) throw new Error(`${dest} exists; remove it or pick another folder`);
  const work = installPackages(log);
  try {
    const modules = join(work, 'node_modules');
    renameNestedModules(modules);
    mkdirSync(dirname(dest), { recursive: true });
    moveDir(modules, dest);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  return treeSize(dest);
}

function moveDir(from, to) {
  try {
    renameSync(from, to);
  } catch {
    cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    rmSync(from, { recursive: true, force: true });
  }
}

/** Call `visit(path)` for every regular file under `dir` (symlinks are not followed, as neither tool follows them). */
export function forEachFile(dir, visit) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) forEachFile(p, visit);
    else if (e.isFile()) visit(p);
  }
}

/** Count regular files and their bytes. */
export function treeSize(dir) {
  let files = 0;
  let bytes = 0;
  forEachFile(dir, (p) => {
    files++;
    bytes += statSync(p).size;
  });
  return { files, bytes };
}

/** The files of one generated workspace: path, how to generate it, and which plant kinds it hosts. */
function workspacePlan(gen) {
  const files = [];
  const add = (path, dest, make) => files.push({ path, dest, make, plants: [], decoys: [] });
  for (const svc of SERVICES) {
    add(`services/${svc}/.env`, 'env', () => envLines(gen, svc));
    add(`services/${svc}/.env.example`, 'env-example', () => envLines(gen, svc, true));
    add(`services/${svc}/config.json`, 'json', () => configJson(gen, svc));
    add(`services/${svc}/settings.yaml`, 'yaml', () => settingsYaml(gen, svc));
    for (let i = 0; i < 200; i++) add(`services/${svc}/src/${gen.word()}/${gen.camel(2)}${i}.ts`, 'ts', () => gen.tsModule(gen.int(2_000, 25_000)));
  }
  for (let i = 0; i < 400; i++) add(`docs/${gen.word()}/${gen.camel(2)}-${i}.md`, 'md', () => gen.markdown(gen.int(2_000, 40_000)));
  for (let i = 0; i < 400; i++) add(`data/fixtures/${gen.word()}-${i}.json`, 'fixture', () => gen.jsonDocument(gen.int(5_000, 80_000)));
  for (let i = 0; i < 150; i++) add(`deploy/k8s/${gen.pick(SERVICES)}-${i}.yaml`, 'manifest', () => gen.yamlManifest(gen.int(2_000, 20_000), gen.pick(SERVICES)));
  for (let i = 0; i < 24; i++) add(`deploy/k8s/secrets/segment-${i}.yaml`, 'k8s', () => []);
  for (let i = 0; i < 12; i++) add(`.github/workflows/deploy-${i}.yml`, 'yaml', () => workflowYaml(gen, i));
  for (let i = 0; i < 16; i++) add(`public/page-${i}.html`, 'html', () => htmlPage(gen));
  for (let i = 0; i < 8; i++) add(`infra/terraform/segment-${i}.tf`, 'tf', () => terraform(gen, i));
  for (const [lang, ext] of [['py', 'py'], ['go', 'go'], ['rb', 'rb'], ['java', 'java']]) {
    for (let i = 0; i < 50; i++) add(`clients/${lang}/${gen.snake(2)}_${i}.${ext}`, lang, () => gen.otherSource(lang, gen.int(3_000, 20_000)));
  }
  for (let i = 0; i < 30; i++) add(`logs/${gen.word()}-${i}.log`, 'log', () => gen.logLines(gen.int(100_000, 600_000)));
  for (let i = 0; i < 20; i++) add(`public/assets/${gen.word()}-${gen.hex(8)}.min.js`, 'minified', () => gen.minifiedChunks(gen.int(100_000, 1_500_000)));
  // MB-long single lines, under the default --max-file-size (10 MiB) so both tools read them.
  add('public/assets/vendor.bundle.min.js', 'minified', () => gen.minifiedChunks(6_000_000));
  add('data/export/events.json', 'minified', () => jsonLineChunks(gen, 5_000_000));
  add('yarn.lock', 'lock', () => gen.yarnLock(3_000_000));
  add('pnpm-lock.yaml', 'lock', () => gen.yarnLock(2_000_000).map((l) => l.replace(/^"(.*)":$/, "  '$1':")));
  return files;
}

function envLines(gen, svc, example = false) {
  const lines = [`# ${svc} service environment`, `NODE_ENV=${example ? 'development' : 'production'}`, `PORT=${gen.int(3000, 9000)}`, `DATABASE_URL=postgres://${svc}@db.internal:5432/${svc}`, `LOG_LEVEL=${gen.pick(['info', 'debug', 'warn'])}`];
  if (example) lines.push('SEGMENT_WRITE_KEY=your_write_key_here', 'SEGMENT_PUBLIC_API_TOKEN=', 'SEGMENT_API_KEY=<SEGMENT_API_KEY>');
  for (let i = gen.int(3, 12); i > 0; i--) lines.push(`${gen.snake(2).toUpperCase()}=${gen.word()}`);
  return lines;
}

function configJson(gen, svc) {
  const lines = ['{', `  "service": "${svc}",`, `  "region": "${gen.pick(['us-east-1', 'eu-west-1'])}",`];
  for (let i = gen.int(5, 30); i > 0; i--) lines.push(`  "${gen.camel(2)}": ${gen.chance(0.5) ? gen.int(0, 9999) : `"${gen.word()}"`},`);
  lines.push('  "segment": { "enabled": true, "flushInterval": 10000 }', '}');
  return lines;
}

function settingsYaml(gen, svc) {
  const lines = [`service: ${svc}`, 'server:', `  port: ${gen.int(3000, 9000)}`, `  workers: ${gen.int(1, 16)}`];
  for (let i = gen.int(5, 30); i > 0; i--) lines.push(`${gen.snake(2)}: ${gen.word()}`);
  return lines;
}

function workflowYaml(gen, i) {
  return ['name: deploy', 'on: { push: { branches: [main] } }', 'jobs:', `  deploy-${i}:`, '    runs-on: ubuntu-latest', '    steps:', '      - uses: actions/checkout@v4', `      - run: npm ci && npm run deploy -- --stage ${gen.word()}`, '      env:', '        SEGMENT_WRITE_KEY: ${{ secrets.SEGMENT_WRITE_KEY }}'];
}

function htmlPage(gen) {
  const lines = ['<!doctype html>', '<html>', '<head>', `  <title>${gen.pascal(2)}</title>`];
  for (let i = gen.int(20, 200); i > 0; i--) lines.push(`  <div class="${gen.word()}">${gen.sentence()}</div>`);
  lines.push('</head>', '</html>');
  return lines;
}

function terraform(gen, i) {
  return ['terraform {', '  required_providers {', '    segment = { source = "segmentio/segment" }', '  }', '}', '', `resource "segment_source" "src_${i}" {`, `  slug = "${gen.word()}-${gen.word()}"`, '}'];
}

function jsonLineChunks(gen, target) {
  const chunks = ['{"events":['];
  let bytes = chunks[0].length;
  while (bytes < target) {
    const c = `{"id":"${gen.uuid()}","event":"${gen.pascal(2)}","userId":"${gen.hex(12)}","properties":{"${gen.word()}":${gen.int(0, 999)},"${gen.word()}":"${gen.word()}"},"timestamp":"${gen.isoDate()}"},`;
    chunks.push(c);
    bytes += c.length;
  }
  chunks.push('{}]}');
  return chunks;
}

/** Interleave plants (and decoys) into a file's lines; returns text and each plant's 1-based line/column. */
function placeInLines(lines, plants, decoyLines, gen) {
  const slots = [...plants.map((p) => ({ p })), ...decoyLines.map((d) => ({ d }))].map((s) => ({ ...s, at: gen.int(Math.min(1, lines.length), lines.length) }));
  slots.sort((a, b) => a.at - b.at);
  const out = [];
  const placed = [];
  let next = 0;
  for (const s of slots) {
    while (next < s.at) out.push(lines[next++]);
    if (s.d !== undefined) out.push(s.d);
    else {
      placed.push({ plant: s.p, line: out.length + s.p.line + 1, column: s.p.column0 + 1 });
      out.push(...s.p.lines);
    }
  }
  while (next < lines.length) out.push(lines[next++]);
  return { text: `${out.join('\n')}\n`, placed };
}

/** One-line files: plants go between chunks, on line 1. */
function placeInChunks(chunks, plants, gen) {
  const slots = plants.map((p) => ({ p, at: gen.int(Math.floor(chunks.length / 3), chunks.length - 1) })).sort((a, b) => a.at - b.at);
  let text = '';
  const placed = [];
  let next = 0;
  for (const s of slots) {
    while (next < s.at) text += chunks[next++];
    placed.push({ plant: s.p, line: 1, column: text.length + s.p.column0 + 1 });
    text += s.p.lines[0];
  }
  while (next < chunks.length) text += chunks[next++];
  return { text: `${text}\n`, placed };
}

/**
 * Generate one workspace into `root/<prefix>` with plants from seeds `<seed>-<n>`; returns manifest
 * entries. `tools` brings fakeCredentials, seededRandom and redactSecret from the built package.
 */
function generateWorkspace(root, prefix, seed, tools) {
  const gen = new TextGen(tools.seededRandom(seed));
  const files = workspacePlan(gen);
  const byDest = new Map();
  for (const f of files) byDest.set(f.dest, [...(byDest.get(f.dest) ?? []), f]);
  let n = 0;
  for (let round = 0; round < 2; round++) {
    for (const context of CONTEXTS) {
      const hosts = byDest.get(context.dest);
      const host = context.dest === 'minified' && round === 0 && n % 2 === 0 ? files.find((f) => f.path === 'public/assets/vendor.bundle.min.js') : gen.pick(hosts);
      host.plants.push(context.make(credentialsFor(`${seed}-${n++}`, tools.fakeCredentials)));
    }
  }
  for (const f of files) if (['env', 'ts', 'md', 'json'].includes(f.dest) && gen.chance(0.2)) f.decoys.push(...decoys(gen).filter(() => gen.chance(0.3)));
  const manifest = [];
  for (const f of files) {
    const content = f.make();
    const { text, placed } = f.dest === 'minified' ? placeInChunks(content, f.plants, gen) : placeInLines(content, f.plants, f.decoys, gen);
    const path = `${prefix}/${f.path}`;
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
    for (const { plant, line, column } of placed) manifest.push(manifestEntry(path, line, column, plant, tools));
  }
  return manifest;
}

export function manifestEntry(path, line, column, plant, tools) {
  return {
    path,
    line,
    column,
    kind: plant.kind,
    context: plant.context,
    encoded: plant.encoded,
    secretHash: createHash('sha256').update(plant.secret).digest('hex'),
    redacted: tools.redactSecret(plant.secret),
  };
}

/** Build into `dir`: the scanned tree goes to `dir/files`, the manifest beside it (never scanned). */
export async function buildTree(dir, { scale, log, tools }) {
  const root = join(dir, 'files');
  mkdirSync(root, { recursive: true });
  const work = installPackages(log);
  try {
    const modules = join(work, 'node_modules');
    renameNestedModules(modules);
    for (let copy = 0; copy < scale; copy++) {
      const target = join(root, copy === 0 ? 'vendor' : `vendor-${copy + 1}`);
      if (copy === scale - 1) moveDir(modules, target);
      else cpSync(modules, target, { recursive: true, verbatimSymlinks: true });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const plants = [];
  for (let copy = 0; copy < scale; copy++) {
    const prefix = copy === 0 ? 'workspace' : `workspace-${copy + 1}`;
    log(`generating ${prefix}/`);
    plants.push(...generateWorkspace(root, prefix, `segscan-bench-tree-${copy}`, tools));
  }
  const size = treeSize(root);
  if (size.bytes < 500e6 * scale || size.files < 20_000 * scale) {
    throw new Error(`tree corpus is too small (${(size.bytes / 1e6).toFixed(0)} MB, ${size.files} files); add packages to TREE_PACKAGES`);
  }
  writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ spec: treeSpec(scale), ...size, plants }, null, 1)}\n`);
  log(`tree corpus: ${size.files} files, ${(size.bytes / 1e6).toFixed(0)} MB, ${plants.length} planted keys`);
  return root;
}
