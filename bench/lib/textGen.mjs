// Deterministic "realistic" text: source code, JSON, YAML, Markdown, logs, lockfiles and
// minified bundles, built from word lists with a seeded PRNG. Every generator returns an array
// of lines (or, for one-line files, an array of chunks) so planted keys can be spliced in at
// known positions. The text deliberately contains words that hit the rules' keywords
// ("segment", "analytics", "token", "writeKey") in harmless places, as real code does, so the
// keyword prefilter is exercised honestly.

const WORDS = (
  'account active adapter address amount analytics api app archive array async audit auth batch ' +
  'buffer build bundle cache callback cart channel checkout client cluster code column config ' +
  'connection consumer context count cursor customer data date debug default delay device ' +
  'dispatch document domain draft element email encode endpoint entity error event export field ' +
  'filter flag format frame gateway group handler hash header history host identity image index ' +
  'input invoice item job key label layout ledger level limit line list loader locale lock log ' +
  'manifest map member message metric mode model module node notice offset order origin owner ' +
  'page panel params parser path payload payment peer plan plugin policy pool port price profile ' +
  'project provider proxy query queue range rate reader record region registry release report ' +
  'request resource response result retry route rule schema scope search segment session setting ' +
  'shard signal size snapshot source span state status store stream subscription summary table ' +
  'tag target task template tenant theme thread ticket timer token topic trace track tracker ' +
  'transaction transform tree trigger type update upload user value vendor version view ' +
  'visitor widget window worker workspace'
).split(' ');

const VERBS = 'build check collect compute create decode delete emit encode fetch find flush format get handle identify init load map merge normalize parse push read refresh register remove render resolve save send serialize set sort split start stop sync track transform update validate write'.split(' ');

const TYPES = ['string', 'number', 'boolean', 'Date', 'Record<string, unknown>', 'string[]', 'Map<string, number>', 'Promise<void>', 'Buffer'];

export class TextGen {
  constructor(random) {
    this.r = random;
  }
  int(lo, hi) {
    return lo + Math.floor(this.r() * (hi - lo + 1));
  }
  pick(list) {
    return list[Math.floor(this.r() * list.length)];
  }
  chance(p) {
    return this.r() < p;
  }
  word() {
    return this.pick(WORDS);
  }
  camel(n = 2) {
    let s = this.pick(VERBS);
    for (let i = 1; i < n; i++) {
      const w = this.word();
      s += w[0].toUpperCase() + w.slice(1);
    }
    return s;
  }
  pascal(n = 2) {
    let s = '';
    for (let i = 0; i < n; i++) {
      const w = this.word();
      s += w[0].toUpperCase() + w.slice(1);
    }
    return s;
  }
  snake(n = 2) {
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(this.word());
    return parts.join('_');
  }
  sentence(min = 6, max = 18) {
    const n = this.int(min, max);
    const parts = [];
    for (let i = 0; i < n; i++) parts.push(this.word());
    const s = parts.join(' ');
    return `${s[0].toUpperCase()}${s.slice(1)}.`;
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(this.r() * 16)];
    return s;
  }
  alnum(n) {
    const a = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let s = '';
    for (let i = 0; i < n; i++) s += a[Math.floor(this.r() * a.length)];
    return s;
  }
  uuid() {
    return `${this.hex(8)}-${this.hex(4)}-4${this.hex(3)}-a${this.hex(3)}-${this.hex(12)}`;
  }
  isoDate() {
    return new Date(Date.UTC(2019 + this.int(0, 5), this.int(0, 11), this.int(1, 28), this.int(0, 23), this.int(0, 59), this.int(0, 59))).toISOString();
  }

  /** A statement inside a function body. */
  statement(indent) {
    const v = this.camel(2);
    switch (this.int(0, 11)) {
      case 0: return `${indent}const ${v} = await this.${this.camel(2)}(${this.word()}, { ${this.word()}: ${this.int(0, 999)} });`;
      case 1: return `${indent}if (!${this.word()}.${this.word()}) throw new Error('${this.sentence(3, 8).slice(0, -1)}');`;
      case 2: return `${indent}// ${this.sentence(5, 14)}`;
      case 3: return `${indent}for (const ${this.word()} of ${this.camel(2)}()) ${this.word()}s.push(${this.word()}.${this.word()});`;
      case 4: return `${indent}analytics.track('${this.pascal(2)} ${this.pascal(1)}', { ${this.word()}Id: ${this.word()}.id, ${this.word()}: ${this.int(1, 100)} });`;
      case 5: return `${indent}const ${v}Segment = path.split('/').slice(${this.int(0, 3)});`;
      case 6: return `${indent}logger.debug(\`${this.word()} ${this.word()} \${${this.word()}.id} in \${Date.now() - started} ms\`);`;
      case 7: return `${indent}return { ...${this.word()}, ${this.word()}: ${this.camel(2)}(${this.word()}), updatedAt: new Date() };`;
      case 8: return `${indent}const ${v}Token = request.headers['x-${this.word()}-token'] ?? '';`;
      case 9: return `${indent}${this.word()}.${this.word()} = ${this.word()}.${this.word()} ?? ${this.int(0, 1) ? `'${this.word()}'` : this.int(0, 65535)};`;
      case 10: return `${indent}await this.${this.word()}Repository.${this.pick(['save', 'delete', 'upsert', 'find'])}(${this.word()});`;
      default: return `${indent}const ${v} = ${this.word()}s.filter((x) => x.${this.word()} !== ${this.int(0, 9)}).map((x) => x.${this.word()});`;
    }
  }

  /** A TypeScript-looking module of roughly `targetBytes`. */
  tsModule(targetBytes) {
    const lines = [`// ${this.sentence(6, 14)}`, `// ${this.sentence(6, 14)}`];
    const imports = this.int(2, 8);
    for (let i = 0; i < imports; i++) lines.push(`import { ${this.pascal(2)}, ${this.camel(2)} } from '../${this.word()}/${this.camel(2)}.js';`);
    if (this.chance(0.3)) lines.push(`import { AnalyticsBrowser } from '@segment/analytics-next';`);
    lines.push('');
    let bytes = lines.join('\n').length;
    while (bytes < targetBytes) {
      const block = [];
      if (this.chance(0.3)) {
        const name = this.pascal(2);
        block.push(`export interface ${name} {`);
        const n = this.int(2, 9);
        for (let i = 0; i < n; i++) block.push(`  ${this.word()}${this.chance(0.3) ? '?' : ''}: ${this.pick(TYPES)};`);
        block.push('}', '');
      } else if (this.chance(0.4)) {
        const cls = this.pascal(2);
        block.push(`export class ${cls}Service {`, `  constructor(private readonly ${this.word()}Repository: ${this.pascal(2)}Repository) {}`, '');
        const methods = this.int(1, 4);
        for (let m = 0; m < methods; m++) {
          block.push(`  async ${this.camel(2)}(${this.word()}: ${this.pascal(1)}, options: ${this.pascal(2)}Options = {}): Promise<${this.pascal(1)}> {`);
          const n = this.int(3, 14);
          for (let i = 0; i < n; i++) block.push(this.statement('    '));
          block.push('  }', '');
        }
        block.push('}', '');
      } else {
        block.push(`/** ${this.sentence(5, 16)} */`);
        block.push(`export function ${this.camel(3)}(${this.word()}: ${this.pick(TYPES)}, ${this.word()}: ${this.pick(TYPES)}) {`);
        const n = this.int(3, 16);
        for (let i = 0; i < n; i++) block.push(this.statement('  '));
        block.push('}', '');
      }
      for (const l of block) bytes += l.length + 1;
      lines.push(...block);
    }
    return lines;
  }

  /** Python, Go, Ruby or Java-ish source: mostly comments and calls, enough to host a plant. */
  otherSource(lang, targetBytes) {
    const lines = [];
    const comment = { py: '#', rb: '#', go: '//', java: '//' }[lang];
    let bytes = 0;
    while (bytes < targetBytes) {
      let l;
      const w = this.camel(2);
      switch (this.int(0, 3)) {
        case 0: l = `${comment} ${this.sentence()}`; break;
        case 1: l = lang === 'py' ? `    ${this.snake(2)} = ${this.snake(2)}(${this.word()}, ${this.int(0, 99)})` : lang === 'rb' ? `  ${this.snake(2)} = ${this.word()}.${this.snake(2)}(${this.int(0, 99)})` : lang === 'go' ? `\t${w} := ${this.word()}.${this.pascal(2)}(${this.int(0, 99)})` : `        ${this.pascal(1)} ${w} = ${this.word()}.${w}(${this.int(0, 99)});`; break;
        case 2: l = lang === 'py' ? `def ${this.snake(3)}(${this.word()}, ${this.word()}=None):` : lang === 'rb' ? `def ${this.snake(3)}(${this.word()})` : lang === 'go' ? `func ${this.camel(3)}(${this.word()} string) error {` : `    public ${this.pascal(1)} ${this.camel(3)}(${this.pascal(1)} ${this.word()}) {`; break;
        default: l = lang === 'py' ? `    analytics.track(user_id, '${this.pascal(2)}', {'${this.word()}': ${this.int(0, 9)}})` : lang === 'go' ? `\tclient.Enqueue(analytics.Track{UserId: ${this.word()}.ID, Event: "${this.pascal(2)}"})` : lang === 'rb' ? `  Analytics.track(user_id: ${this.word()}.id, event: '${this.pascal(2)}')` : `        analytics.enqueue(TrackMessage.builder("${this.pascal(2)}").userId(${this.word()}.getId()));`;
      }
      lines.push(l);
      bytes += l.length + 1;
    }
    return lines;
  }

  markdown(targetBytes) {
    const lines = [`# ${this.pascal(3)}`, '', this.sentence(10, 30), ''];
    let bytes = 0;
    while (bytes < targetBytes) {
      const block = [];
      switch (this.int(0, 4)) {
        case 0: block.push(`## ${this.pascal(2)} ${this.word()}`, ''); break;
        case 1: for (let i = this.int(2, 6); i > 0; i--) block.push(`- ${this.sentence(4, 12)}`); block.push(''); break;
        case 2: block.push('```ts'); for (let i = this.int(2, 8); i > 0; i--) block.push(this.statement('')); block.push('```', ''); break;
        case 3: block.push(`| ${this.word()} | ${this.word()} | ${this.word()} |`, '|---|---|---|'); for (let i = this.int(2, 6); i > 0; i--) block.push(`| \`${this.camel(2)}\` | ${this.int(0, 999)} | ${this.sentence(2, 6)} |`); block.push(''); break;
        default: block.push(`${this.sentence(10, 40)} ${this.sentence(10, 40)}`, '');
      }
      for (const l of block) bytes += l.length + 1;
      lines.push(...block);
    }
    return lines;
  }

  /** Pretty-printed JSON records (fixtures, API responses). */
  jsonDocument(targetBytes) {
    const lines = ['{', `  "generatedAt": "${this.isoDate()}",`, '  "records": ['];
    let bytes = 0;
    let first = true;
    while (bytes < targetBytes) {
      const rec = [
        `    ${first ? '' : ','}{`,
        `      "id": "${this.uuid()}",`,
        `      "type": "${this.word()}",`,
        `      "name": "${this.pascal(2)}",`,
        `      "description": "${this.sentence(4, 14)}",`,
        `      "createdAt": "${this.isoDate()}",`,
        `      "amount": ${this.int(0, 99999) / 100},`,
        `      "tags": ["${this.word()}", "${this.word()}", "${this.word()}"],`,
        `      "checksum": "${this.hex(40)}"`,
        '    }',
      ];
      first = false;
      for (const l of rec) bytes += l.length + 1;
      lines.push(...rec);
    }
    lines.push('  ]', '}');
    return lines;
  }

  yamlManifest(targetBytes, name) {
    const lines = [];
    let bytes = 0;
    while (bytes < targetBytes) {
      const doc = [
        '---',
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${name}-${this.word()}`,
        `  labels: { app: ${name}, tier: ${this.word()} }`,
        'spec:',
        `  replicas: ${this.int(1, 6)}`,
        '  template:',
        '    spec:',
        '      containers:',
        `        - name: ${this.word()}`,
        `          image: registry.example.com/${name}:${this.int(1, 9)}.${this.int(0, 30)}.${this.int(0, 99)}`,
        '          env:',
        `            - { name: ${this.snake(2).toUpperCase()}, value: "${this.word()}" }`,
        '            - name: SEGMENT_WRITE_KEY',
        '              valueFrom: { secretKeyRef: { name: segment, key: write-key } }',
        `          resources: { limits: { cpu: ${this.int(100, 2000)}m, memory: ${this.int(128, 4096)}Mi } }`,
      ];
      for (const l of doc) bytes += l.length + 1;
      lines.push(...doc);
    }
    return lines;
  }

  logLines(targetBytes) {
    const lines = [];
    let bytes = 0;
    while (bytes < targetBytes) {
      const l = `${this.isoDate()} ${this.pick(['INFO', 'DEBUG', 'WARN', 'ERROR'])} [${this.word()}-${this.int(1, 9)}] ${this.camel(2)} ${this.sentence(3, 12)} request_id=${this.uuid()} duration_ms=${this.int(1, 3000)}`;
      lines.push(l);
      bytes += l.length + 1;
    }
    return lines;
  }

  yarnLock(targetBytes) {
    const lines = ['# THIS IS AN AUTOGENERATED FILE. DO NOT EDIT THIS FILE DIRECTLY.', '# yarn lockfile v1', ''];
    let bytes = 0;
    while (bytes < targetBytes) {
      const name = `${this.chance(0.3) ? `@${this.word()}/` : ''}${this.word()}-${this.word()}`;
      const v = `${this.int(0, 12)}.${this.int(0, 30)}.${this.int(0, 20)}`;
      const entry = [
        `"${name}@^${v}":`,
        `  version "${v}"`,
        `  resolved "https://registry.yarnpkg.com/${name}/-/${name.replace(/^@[^/]+\//, '')}-${v}.tgz#${this.hex(40)}"`,
        `  integrity sha512-${Buffer.from(this.hex(64), 'hex').toString('base64')}${Buffer.from(this.hex(64), 'hex').toString('base64').slice(0, 20)}==`,
        '',
      ];
      for (const l of entry) bytes += l.length + 1;
      lines.push(...entry);
    }
    return lines;
  }

  /** Chunks of a minified bundle (joined with no newline). */
  minifiedChunks(targetBytes) {
    const chunks = ['!function(e,t){"use strict";'];
    let bytes = chunks[0].length;
    const ids = 'abcdefghijklmnopqrstuvwxyz';
    while (bytes < targetBytes) {
      const a = ids[this.int(0, 25)];
      const b = ids[this.int(0, 25)];
      let c;
      switch (this.int(0, 5)) {
        case 0: c = `function ${a}${this.int(0, 99)}(${a},${b}){return ${a}.${this.word()}(${b},"${this.word()}")||${this.int(0, 9)}}`; break;
        case 1: c = `var ${a}${b}=${b}.${this.camel(2)}({${this.word()}:${this.int(0, 999)},${this.word()}:"${this.word()}"});`; break;
        case 2: c = `${a}.prototype.${this.camel(2)}=function(${b}){this.${this.word()}=${b}.${this.word()};return this};`; break;
        case 3: c = `"${this.sentence(2, 6)}"===${a}&&(${b}=${this.int(0, 9999)});`; break;
        case 4: c = `${a}.track("${this.pascal(2)}",{${this.word()}:${b}.${this.word()}});`; break;
        default: c = `const ${a}${this.int(0, 9)}=[${Array.from({ length: this.int(3, 12) }, () => this.int(0, 65535)).join(',')}];`;
      }
      chunks.push(c);
      bytes += c.length;
    }
    chunks.push('}(this);');
    return chunks;
  }
}
