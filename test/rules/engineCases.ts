// The engine table: for every Segment credential form and every look-alike, a small file as a
// user would have it, the path it is scanned as, and the findings a user must see. Keys are
// generated (fakeCredentials / expandTemplate); positions are 1-based, end columns exclusive
// (one past the last character, as in SARIF).
import type { Confidence } from '../../src/types.js';
import { expandTemplate, fakeCredentials } from '../../src/rules/templates.js';

export interface ExpectedFinding {
  ruleId: string;
  secret: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
  confidence: Confidence;
}

export interface EngineCase {
  name: string;
  path: string;
  text: string;
  expected: ExpectedFinding[];
}

export const keys = fakeCredentials('rules-engine-table');
const { writeKey: wk, legacyWriteKey: lk, publicApiToken: pt, configApiToken: ct, sgKey: sg } = keys;
const gen = (template: string, seed: string): string => expandTemplate(template, seed);
const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** One expected finding on a single line: [line, startColumn, endColumn]. */
function hit(ruleId: string, secret: string, [line, column, endColumn]: [number, number, number], confidence: Confidence): ExpectedFinding {
  return { ruleId, secret, start: { line, column }, end: { line, column: endColumn }, confidence };
}

const PUBLIC = 'segment-public-api-token';
const CONFIG = 'segment-config-api-token';
const CONFIG_AFTER = 'segment-config-api-token-context-after';
const SG = 'segment-sg-key';
const BROWSER = 'segment-write-key-browser';
const MOBILE = 'segment-write-key-mobile';
const SERVER = 'segment-write-key-server';
const BASIC = 'segment-write-key-basic-auth';
const PROPERTY = 'segment-write-key-property';
const VARIABLE = 'segment-credential-variable';
const BLOCK = 'segment-credential-config-block';
const SECTION = 'segment-credential-config-section';
const CONNECTION = 'segment-connection-string';
const CONTEXT = 'segment-write-key-in-context';
const CDN_PATH = 'segment-write-key-cdn-path';
const CONFIG_CONTEXT = 'segment-config-api-token-in-context';

const basicToken = b64(`${wk}:`);
const secretToken = b64(wk);

export const credentialCases: EngineCase[] = [
  // Public API token
  {
    name: 'public API token alone at column 1, end of file without a newline',
    path: 'notes/token.txt',
    text: pt,
    expected: [hit(PUBLIC, pt, [1, 1, 69], 'high')],
  },
  {
    name: 'public API token in a Bearer header of a multi-line curl command',
    path: 'scripts/workspace.sh',
    text: `#!/bin/sh\ncurl -s https://api.segmentapis.com/ \\\n  -H "Authorization: Bearer ${pt}"\n`,
    expected: [hit(PUBLIC, pt, [3, 29, 97], 'high')],
  },
  {
    name: 'public API token in the Terraform provider block',
    path: 'infra/main.tf',
    text: `provider "segment" {\n  token = "${pt}"\n}\n`,
    expected: [hit(PUBLIC, pt, [2, 12, 80], 'high')],
  },
  {
    name: 'public API token in a GitHub workflow env block beats the variable-name rule',
    path: '.github/workflows/sync.yml',
    text: `name: sync\non: push\njobs:\n  sync:\n    runs-on: ubuntu-latest\n    env:\n      SEGMENT_PUBLIC_API_TOKEN: ${pt}\n    steps:\n      - run: terraform apply\n`,
    expected: [hit(PUBLIC, pt, [7, 33, 101], 'high')],
  },
  // Legacy Config API token
  {
    name: 'Config API token in .env (Segment context before it; .env raises confidence)',
    path: '.env',
    text: `SEGMENT_ACCESS_TOKEN=${ct}\n`,
    expected: [hit(CONFIG, ct, [1, 22, 109], 'high')],
  },
  {
    name: 'Config API token in curl with the platform.segmentapis.com URL after it',
    path: 'scripts/config-api.sh',
    text: `curl -H "Authorization: Bearer ${ct}" https://platform.segmentapis.com/v1beta/workspaces\n`,
    expected: [hit(CONFIG_AFTER, ct, [1, 32, 119], 'medium')],
  },
  // Documented sg_ key
  {
    name: 'sg_ key nested in config.json beats the config-block rule; config.json raises confidence',
    path: 'config.json',
    text: `{\n  "segment": {\n    "apiKey": "${sg}"\n  }\n}\n`,
    expected: [hit(SG, sg, [3, 16, 43], 'high')],
  },
  {
    name: 'sg_ key at column 1 of a later line',
    path: 'keys.txt',
    text: `segment keys\n${sg}\n`,
    expected: [hit(SG, sg, [2, 1, 28], 'medium')],
  },
  // Write keys in browser code
  {
    name: 'analytics.js snippet: _writeKey and analytics.load on separate lines',
    path: 'public/index.html',
    text: `<script>\n  !function(){var analytics=window.analytics=window.analytics||[];analytics._writeKey="${wk}";analytics.SNIPPET_VERSION="5.2.0";\n  analytics.load("${wk}");\n  analytics.page();\n  }}();\n</script>\n`,
    expected: [hit(BROWSER, wk, [2, 88, 120], 'high'), hit(BROWSER, wk, [3, 19, 51], 'high')],
  },
  {
    name: 'analytics.js CDN script URL',
    path: 'templates/layout.html',
    text: `<head>\n<script async src="https://cdn.segment.com/analytics.js/v1/${wk}/analytics.min.js"></script>\n</head>`,
    expected: [hit(BROWSER, wk, [2, 60, 92], 'high')],
  },
  {
    name: 'analytics-next AnalyticsBrowser.load over several lines',
    path: 'src/analytics.ts',
    text: `import { AnalyticsBrowser } from '@segment/analytics-next'\n\nexport const analytics = AnalyticsBrowser.load({\n  writeKey: '${wk}',\n})\n`,
    expected: [hit(BROWSER, wk, [4, 14, 46], 'high')],
  },
  {
    name: 'analytics.load in a Jupyter notebook (JSON-escaped quotes)',
    path: 'notebooks/tracking.ipynb',
    text: `{\n "cells": [\n  {\n   "cell_type": "code",\n   "source": [\n    "analytics.load(\\"${wk}\\")\\n",\n    "analytics.page()"\n   ]\n  }\n ]\n}\n`,
    expected: [hit(BROWSER, wk, [6, 23, 55], 'high')],
  },
  // Write keys in mobile code
  {
    name: 'Swift Configuration(writeKey:)',
    path: 'ios/App/AppDelegate.swift',
    text: `let configuration = Configuration(writeKey: "${wk}")\n    .trackApplicationLifecycleEvents(true)\n`,
    expected: [hit(MOBILE, wk, [1, 46, 78], 'high')],
  },
  {
    name: 'Kotlin Analytics(key, applicationContext)',
    path: 'android/app/src/main/java/com/acme/App.kt',
    text: `class App : Application() {\n  override fun onCreate() {\n    analytics = Analytics("${wk}", applicationContext) {\n      trackApplicationLifecycleEvents = true\n    }\n  }\n}\n`,
    expected: [hit(MOBILE, wk, [3, 28, 60], 'high')],
  },
  {
    name: 'older Android Analytics.Builder with a legacy 10-character key',
    path: 'android/app/src/main/java/com/acme/App.java',
    text: `Analytics analytics = new Analytics.Builder(context, "${lk}").build();\n`,
    expected: [hit(MOBILE, lk, [1, 55, 65], 'high')],
  },
  {
    name: 'React Native createClient({ writeKey })',
    path: 'App.tsx',
    text: `const segmentClient = createClient({\n  writeKey: '${wk}',\n  trackAppLifecycleEvents: true,\n});\n`,
    expected: [hit(MOBILE, wk, [2, 14, 46], 'high')],
  },
  // Write keys in server code
  {
    name: 'Node analytics-node new Analytics({ writeKey })',
    path: 'server/analytics.js',
    text: `const { Analytics } = require('@segment/analytics-node')\nconst analytics = new Analytics({ writeKey: '${wk}' })\n`,
    expected: [hit(SERVER, wk, [2, 46, 78], 'high')],
  },
  {
    name: 'Go analytics.New',
    path: 'cmd/api/main.go',
    text: `func main() {\n\tclient := analytics.New("${wk}")\n\tdefer client.Close()\n}\n`,
    expected: [hit(SERVER, wk, [2, 27, 59], 'high')],
  },
  {
    name: 'Python analytics.write_key',
    path: 'app/analytics.py',
    text: `import segment.analytics as analytics\n\nanalytics.write_key = '${wk}'\n`,
    expected: [hit(SERVER, wk, [3, 24, 56], 'high')],
  },
  {
    name: 'Ruby Segment::Analytics.new(write_key:)',
    path: 'config/initializers/segment.rb',
    text: `Analytics = Segment::Analytics.new(\n  write_key: '${wk}'\n)\n`,
    expected: [hit(SERVER, wk, [2, 15, 47], 'high')],
  },
  {
    name: 'Java Analytics.builder',
    path: 'src/main/java/com/acme/Tracking.java',
    text: `Analytics analytics = Analytics.builder("${wk}").build();\n`,
    expected: [hit(SERVER, wk, [1, 42, 74], 'high')],
  },
  {
    name: 'PHP Segment::init',
    path: 'public/track.php',
    text: `<?php\nSegment::init("${wk}");\n`,
    expected: [hit(SERVER, wk, [2, 16, 48], 'high')],
  },
  {
    name: '.NET Analytics.Initialize',
    path: 'src/Tracking.cs',
    text: `Analytics.Initialize("${wk}");\n`,
    expected: [hit(SERVER, wk, [1, 23, 55], 'high')],
  },
  // Write keys over HTTP
  {
    name: 'curl -u "<key>:" in a multi-line command',
    path: 'scripts/send-event.sh',
    text: `#!/bin/sh\ncurl https://api.segment.io/v1/track \\\n  -u "${wk}:" \\\n  -H 'Content-Type: application/json' \\\n  -d '{"userId": "42", "event": "Test"}'\n`,
    expected: [hit(BASIC, wk, [3, 7, 39], 'medium')],
  },
  {
    name: 'Authorization: Basic base64("<key>:") is decoded; the finding covers the encoded token',
    path: 'requests/track.http',
    text: `POST https://api.segment.io/v1/track\nAuthorization: Basic ${basicToken}\nContent-Type: application/json\n`,
    expected: [hit(BASIC, wk, [2, 22, 22 + basicToken.length], 'medium')],
  },
  {
    name: 'Basic auth header in a CRLF request file',
    path: 'requests/identify.http',
    text: `POST https://api.segment.io/v1/identify\r\nAuthorization: Basic ${basicToken}\r\nContent-Type: application/json\r\n\r\n{"userId": "42"}\r\n`,
    expected: [hit(BASIC, wk, [2, 22, 22 + basicToken.length], 'medium')],
  },
  {
    name: '"writeKey" in a JSON request body',
    path: 'test/payloads/track.json',
    text: `{\n  "writeKey": "${wk}",\n  "userId": "42",\n  "event": "Order Completed"\n}\n`,
    expected: [hit(PROPERTY, wk, [2, 16, 48], 'medium')],
  },
  // Segment-named variables
  {
    name: '.env with CRLF line endings',
    path: '.env',
    text: `# analytics\r\nSEGMENT_ENABLED=true\r\nSEGMENT_WRITE_KEY=${wk}\r\nOTHER=1\r\n`,
    expected: [hit(VARIABLE, wk, [3, 19, 51], 'high')],
  },
  {
    name: 'Dockerfile ENV with a space separator',
    path: 'Dockerfile',
    text: `FROM node:20-alpine\nWORKDIR /app\nENV SEGMENT_WRITE_KEY ${wk}\nRUN npm ci\n`,
    expected: [hit(VARIABLE, wk, [3, 23, 55], 'medium')],
  },
  {
    name: 'Dockerfile ARG with a default',
    path: 'docker/web.Dockerfile',
    text: `ARG SEGMENT_WRITE_KEY=${wk}\n`,
    expected: [hit(VARIABLE, wk, [1, 23, 55], 'medium')],
  },
  {
    name: 'docker-compose environment list',
    path: 'docker-compose.yml',
    text: `services:\n  web:\n    image: acme/web\n    environment:\n      - NODE_ENV=production\n      - SEGMENT_WRITE_KEY=${wk}\n`,
    expected: [hit(VARIABLE, wk, [6, 27, 59], 'medium')],
  },
  {
    name: 'GitHub workflow env block with a write key',
    path: '.github/workflows/deploy.yml',
    text: `jobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n      SEGMENT_WRITE_KEY: "${wk}"\n    steps:\n      - run: npm run deploy\n`,
    expected: [hit(VARIABLE, wk, [5, 27, 59], 'medium')],
  },
  {
    name: 'Kubernetes Secret data value is decoded; the finding covers the base64 value',
    path: 'k8s/segment-secret.yaml',
    text: `apiVersion: v1\nkind: Secret\nmetadata:\n  name: analytics\ntype: Opaque\ndata:\n  SEGMENT_WRITE_KEY: ${secretToken}\n`,
    expected: [hit(VARIABLE, wk, [7, 22, 22 + secretToken.length], 'medium')],
  },
  {
    name: 'Kubernetes Secret with CRLF line endings and the value at the end of the file',
    path: 'k8s/segment-secret-windows.yaml',
    text: `kind: Secret\r\ndata:\r\n  SEGMENT_API_KEY: ${secretToken}`,
    expected: [hit(VARIABLE, wk, [3, 20, 20 + secretToken.length], 'medium')],
  },
  {
    name: 'Kubernetes env list name/value pair',
    path: 'k8s/deployment.yaml',
    text: `containers:\n  - name: api\n    env:\n      - name: SEGMENT_WRITE_KEY\n        value: "${wk}"\n`,
    expected: [hit(VARIABLE, wk, [5, 17, 49], 'medium')],
  },
  {
    name: 'shell export',
    path: 'scripts/env.sh',
    text: `export SEGMENT_API_KEY='${wk}'\n`,
    expected: [hit(VARIABLE, wk, [1, 25, 57], 'medium')],
  },
  {
    name: 'credentials.txt raises confidence',
    path: 'credentials.txt',
    text: `stripe: see vault\nsegment_api_key = ${wk}\n`,
    expected: [hit(VARIABLE, wk, [2, 19, 51], 'high')],
  },
  {
    name: 'hard-coded fallback behind process.env',
    path: 'src/constants.ts',
    text: `export const SEGMENT_WRITE_KEY = process.env.SEGMENT_WRITE_KEY || '${wk}';\n`,
    expected: [hit(VARIABLE, wk, [1, 68, 100], 'medium')],
  },
  {
    name: 'nested YAML segment block in settings.yaml',
    path: 'config/settings.yaml',
    text: `analytics:\n  segment:\n    enabled: true\n    write_key: ${wk}\n`,
    expected: [hit(BLOCK, wk, [4, 16, 48], 'high')],
  },
  {
    name: 'nested object in app-config.js beats the writeKey property rule',
    path: 'app-config.js',
    text: `module.exports = {\n  segment: {\n    writeKey: '${wk}',\n  },\n};\n`,
    expected: [hit(BLOCK, wk, [3, 16, 48], 'high')],
  },
  {
    name: '[segment] section of a TOML file',
    path: 'pyproject.toml',
    text: `[project]\nname = "web"\n\n[tool.segment]\nenabled = true\nwrite_key = "${wk}"\n`,
    expected: [hit(SECTION, wk, [6, 14, 46], 'medium')],
  },
  {
    name: 'segment:// connection string',
    path: '.env.production',
    text: `ANALYTICS_URL=segment://${wk}@api.segment.io\n`,
    expected: [hit(CONNECTION, wk, [1, 25, 57], 'high')],
  },
  // Context: the file names Segment; the value's shape is the rest of the evidence.
  {
    name: 'an environment-keyed map of write keys under a Segment-named constant',
    path: 'src/analytics/keys.ts',
    text: `// Segment sources\nconst KEYS = {\n  dev: '${wk}',\n};\n`,
    expected: [hit(CONTEXT, wk, [3, 9, 41], 'medium')],
  },
  {
    name: 'a write key on the line after a constructor call, in a file using the PHP SDK',
    path: 'tests/ClientTest.php',
    text: `<?php\nuse Segment\\Client;\n$client = new Client(\n    '${wk}',\n    $options\n);\n`,
    expected: [hit(CONTEXT, wk, [4, 6, 38], 'medium')],
  },
  {
    name: 'a write key in a proxied settings path on a first-party host',
    path: 'snapshots/proxy.json',
    text: `{"path": "/_proxy/cdn/v1/projects/${wk}/settings"}\n`,
    expected: [hit(CDN_PATH, wk, [1, 35, 67], 'medium')],
  },
  {
    name: 'a Config API token far below the Segment API it is for',
    path: 'docs/config-api.md',
    text: `# Config API\n\nSee https://platform.segmentapis.com/v1beta/workspaces.\n\n${'filler text. '.repeat(40)}\n\n    token: ${ct}\n`,
    expected: [hit(CONFIG_CONTEXT, ct, [7, 12, 99], 'medium')],
  },
  {
    // 6,000 lines of 32 bytes: a 192 KiB file is context for itself as a whole.
    name: 'a write key far (190 KB) below the Segment import, in a file of 256 KiB or less',
    path: 'src/tracking.js',
    text: `import { AnalyticsBrowser } from '@segment/analytics-next';\n${'const unrelatedValue = 1234567;\n'.repeat(6000)}const key = '${wk}';\n`,
    expected: [hit(CONTEXT, wk, [6002, 14, 46], 'medium')],
  },
  {
    name: 'every token kind in one .env file, each reported by its most specific rule',
    path: 'deploy/.env.staging',
    text: `SEGMENT_WRITE_KEY=${wk}\nSEGMENT_PUBLIC_API_TOKEN=${pt}\nSEGMENT_ACCESS_TOKEN=${ct}\nSEGMENT_API_KEY=${sg}`,
    expected: [
      hit(VARIABLE, wk, [1, 19, 51], 'high'),
      hit(PUBLIC, pt, [2, 26, 94], 'high'),
      hit(CONFIG, ct, [3, 22, 109], 'high'),
      hit(SG, sg, [4, 17, 44], 'high'),
    ],
  },
];

const hex40 = gen('{{hex:40}}', 'sourcegraph-40');
const hex16 = gen('{{hex:16}}', 'sourcegraph-16');
const sendgrid = gen('SG.{{b64url:22}}.{{b64url:43}}', 'sendgrid');
const jwt = gen('{{b64url:43}}.{{b64url:43}}.{{b64url:43}}', 'jwt');
const sourceId = gen('{{alnum:22}}', 'source-id');
const integrity = gen('sha512-{{b64url:43}}{{b64url:43}}==', 'integrity').replace(/[-_]/g, '+');

export const lookAlikeCases: EngineCase[] = [
  {
    // A bundle over 256 KiB: a mention of Segment at the top says nothing about a token 300 KB on.
    name: 'a random token far from the only Segment mention in a bundle over 256 KiB',
    path: 'dist/vendor.js',
    text: `/* segment */\n${'const unrelatedValue = 1234567;\n'.repeat(10000)}const token = '${wk}';\n`,
    expected: [],
  },
  {
    name: 'Sourcegraph access tokens (sgp_ + 40 hex, sgp_ + 16 hex _ 40 hex)',
    path: '.env',
    text: `SRC_ACCESS_TOKEN=sgp_${hex40}\nSRC_ADMIN_TOKEN=sgp_${hex16}_${hex40}\n`,
    expected: [],
  },
  {
    name: 'SendGrid keys start with SG.',
    path: 'config/mail.yml',
    text: `sendgrid:\n  api_key: ${sendgrid}\nSENDGRID_API_KEY=${sendgrid}\n`,
    expected: [],
  },
  {
    name: 'a JWT near Segment context is three dot-separated parts, not a Config API token',
    path: 'scripts/segment-login.sh',
    text: `# segment admin session\ncurl -H "Authorization: Bearer ${jwt}" https://platform.segmentapis.com/v1beta/workspaces\n`,
    expected: [],
  },
  {
    name: 'a 43.43 token with no Segment context anywhere',
    path: 'app.env',
    text: `API_TOKEN=${ct}\n`,
    expected: [],
  },
  {
    name: 'sg_ inside identifiers and sg_ identifiers',
    path: 'src/util.js',
    text: `const msg_${keys.writeKey.slice(0, 20)} = 1;\nconst config_${sg} = 2;\nfunction sg_computeWeightedAverage(values) {}\n`,
    expected: [],
  },
  {
    name: 'lockfile integrity hashes next to @segment packages',
    path: 'package-lock.json',
    text: `{\n  "packages": {\n    "node_modules/@segment/analytics-node": {\n      "version": "2.1.0",\n      "resolved": "https://registry.npmjs.org/@segment/analytics-node/-/analytics-node-2.1.0.tgz",\n      "integrity": "${integrity}"\n    }\n  }\n}\n`,
    expected: [],
  },
  {
    name: 'yarn.lock integrity hashes',
    path: 'yarn.lock',
    text: `"@segment/analytics-next@^1.70.0":\n  version "1.70.0"\n  integrity ${integrity}\n`,
    expected: [],
  },
  {
    name: 'prose about the write key, with documentation placeholders',
    path: 'README.md',
    text: `## Analytics\n\nFind your Segment write key under Settings > API Keys, then set SEGMENT_WRITE_KEY.\n\n    analytics.load("YOUR_WRITE_KEY");\n    curl -u "<WRITE_KEY>:" https://api.segment.io/v1/track\n`,
    expected: [],
  },
  {
    name: 'Segment source IDs, workspace IDs and slugs',
    path: 'config/segment.yml',
    text: `SEGMENT_SOURCE_ID=${sourceId}\nSEGMENT_WORKSPACE_ID=${sourceId}\nSEGMENT_WORKSPACE_SLUG=acme-analytics\nsegment:\n  source_id: ${sourceId}\n  url: https://app.segment.com/acme-analytics/sources/website/overview\n`,
    expected: [],
  },
  {
    name: 'references in a workflow, a compose file and code',
    path: '.github/workflows/ci.yml',
    text: `env:\n  SEGMENT_WRITE_KEY: \${{ secrets.SEGMENT_WRITE_KEY }}\n  SEGMENT_TOKEN: \${SEGMENT_TOKEN}\n  SEGMENT_KEY: $SEGMENT_KEY\nrun: |\n  node -e "new Analytics({ writeKey: process.env.SEGMENT_WRITE_KEY })"\n  python -c "import os; analytics.write_key = os.environ['SEGMENT_WRITE_KEY']"\n`,
    expected: [],
  },
  {
    name: 'placeholders and empty values in .env.example',
    path: '.env.example',
    text: `SEGMENT_WRITE_KEY=your_write_key_here\nSEGMENT_API_KEY=<segment-api-key>\nSEGMENT_TOKEN=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\nSEGMENT_SECRET=\nSEGMENT_ACCESS_TOKEN=""\n`,
    expected: [],
  },
  {
    name: 'a hex key with an empty password belongs to another service',
    path: 'scripts/billing.sh',
    text: `curl -u ${gen('{{hex:32}}', 'hex-key')}: https://api.example.com/v2/accounts\n`,
    expected: [],
  },
];
