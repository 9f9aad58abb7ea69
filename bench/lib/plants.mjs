// The planted keys: every credential kind, each in the contexts users actually leak it in (see
// /work/shared/segment-credentials.md). A plant is a few lines (or, for one-line files, a
// snippet) with the secret at a known offset; the tree and history generators place them and
// record path, line and column in the manifest. Decoys are look-alikes that must NOT be reported;
// they are placed the same way but never enter the manifest.

const b64 = (s) => Buffer.from(s, 'utf8').toString('base64');

/** A plant: lines of text, the secret on lines[line] starting at `column0` (0-based). */
function plant(kind, context, lines, secret, { encoded = false } = {}) {
  const needle = encoded ? encoded : secret;
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`plant ${context}: secret not in its lines`);
  return { kind, context, lines, line, column0: lines[line].indexOf(needle), secret, encoded: Boolean(encoded) };
}

/**
 * Contexts by destination. Each takes fake credentials `c` (from fakeCredentials) and returns a plant.
 * `dest` says which kind of file hosts it; the generators know how to place each.
 */
export const CONTEXTS = [
  { dest: 'env', make: (c) => plant('write-key', 'env SEGMENT_WRITE_KEY', [`SEGMENT_WRITE_KEY=${c.writeKey}`], c.writeKey) },
  { dest: 'env', make: (c) => plant('public-api-token', 'env SEGMENT_PUBLIC_API_TOKEN', [`SEGMENT_PUBLIC_API_TOKEN="${c.publicApiToken}"`], c.publicApiToken) },
  { dest: 'env', make: (c) => plant('config-api-token', 'env SEGMENT_ACCESS_TOKEN', [`SEGMENT_ACCESS_TOKEN=${c.configApiToken}`], c.configApiToken) },
  { dest: 'env', make: (c) => plant('sg-key', 'env SEGMENT_API_KEY', [`export SEGMENT_API_KEY='${c.sgKey}'`], c.sgKey) },
  { dest: 'ts', make: (c) => plant('write-key', 'analytics.load', [`  analytics.load("${c.writeKey}");`], c.writeKey) },
  { dest: 'ts', make: (c) => plant('write-key', 'AnalyticsBrowser.load', [`export const analytics = AnalyticsBrowser.load({ writeKey: '${c.writeKey}' });`], c.writeKey) },
  { dest: 'ts', make: (c) => plant('write-key', 'analytics-node', [`const client = new Analytics({ writeKey: '${c.writeKey}', flushAt: 20 });`], c.writeKey) },
  { dest: 'ts', make: (c) => plant('sg-key', 'segment:// url', [`const SEGMENT_URL = 'segment://${c.sgKey}@api.segment.io';`], c.sgKey) },
  { dest: 'ts', make: (c) => plant('public-api-token', 'Bearer sgp_ in code', [`  headers: { Authorization: \`Bearer ${c.publicApiToken}\` }, // api.segmentapis.com`], c.publicApiToken) },
  { dest: 'json', make: (c) => plant('write-key', 'json writeKey', [`  "writeKey": "${c.writeKey}",`], c.writeKey) },
  { dest: 'json', make: (c) => plant('sg-key', 'json segment_api_key', [`  "segment_api_key": "${c.sgKey}",`], c.sgKey) },
  { dest: 'yaml', make: (c) => plant('sg-key', 'settings.yaml segment.apiKey', ['segment:', `  apiKey: ${c.sgKey}`, '  region: us'], c.sgKey) },
  { dest: 'yaml', make: (c) => plant('public-api-token', 'CI env token', ['      env:', `        SEGMENT_PUBLIC_API_TOKEN: ${c.publicApiToken}`], c.publicApiToken) },
  { dest: 'k8s', make: (c) => plant('write-key', 'k8s Secret base64', ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: segment', 'type: Opaque', 'data:', `  SEGMENT_WRITE_KEY: ${b64(c.writeKey)}`], c.writeKey, { encoded: b64(c.writeKey) }) },
  { dest: 'k8s', make: (c) => plant('sg-key', 'k8s Secret base64 sg_', ['apiVersion: v1', 'kind: Secret', 'metadata:', '  name: segment-api', 'data:', `  SEGMENT_API_KEY: ${b64(c.sgKey)}`], c.sgKey, { encoded: b64(c.sgKey) }) },
  { dest: 'md', make: (c) => plant('write-key', 'Basic auth header', ['```http', 'POST /v1/batch HTTP/1.1', 'Host: api.segment.io', `Authorization: Basic ${b64(`${c.writeKey}:`)}`, '```'], c.writeKey, { encoded: b64(`${c.writeKey}:`) }) },
  { dest: 'md', make: (c) => plant('public-api-token', 'curl Bearer sgp_', ['```sh', `curl -H "Authorization: Bearer ${c.publicApiToken}" https://api.segmentapis.com/`, '```'], c.publicApiToken) },
  { dest: 'md', make: (c) => plant('config-api-token', 'curl Bearer config api', ['```sh', `curl -H "Authorization: Bearer ${c.configApiToken}" https://platform.segmentapis.com/v1beta/workspaces`, '```'], c.configApiToken) },
  { dest: 'md', make: (c) => plant('write-key', 'curl -u writekey:', ['```sh', `curl -u "${c.writeKey}:" https://api.segment.io/v1/identify -d '{"userId":"42"}'`, '```'], c.writeKey) },
  { dest: 'html', make: (c) => plant('write-key', 'cdn snippet url', [`  <script src="https://cdn.segment.com/analytics.js/v1/${c.writeKey}/analytics.min.js"></script>`], c.writeKey) },
  { dest: 'html', make: (c) => plant('write-key', 'legacy snippet load', ['  <script>', `    analytics.load("${c.legacyWriteKey}");`, '    analytics.page();', '  </script>'], c.legacyWriteKey) },
  { dest: 'tf', make: (c) => plant('public-api-token', 'terraform provider token', ['provider "segment" {', `  token = "${c.publicApiToken}"`, '}'], c.publicApiToken) },
  { dest: 'py', make: (c) => plant('write-key', 'python write_key', ['import segment.analytics as analytics', `analytics.write_key = '${c.writeKey}'`], c.writeKey) },
  { dest: 'go', make: (c) => plant('write-key', 'go analytics.New', [`\tclient := analytics.New("${c.writeKey}")`], c.writeKey) },
  { dest: 'rb', make: (c) => plant('write-key', 'ruby Segment::Analytics.new', [`Analytics = Segment::Analytics.new(write_key: '${c.writeKey}')`], c.writeKey) },
  { dest: 'java', make: (c) => plant('write-key', 'java Analytics.builder', [`        Analytics analytics = Analytics.builder("${c.writeKey}").build();`], c.writeKey) },
  { dest: 'minified', make: (c) => plant('write-key', 'minified analytics.load', [`e.analytics.load("${c.writeKey}");`], c.writeKey) },
  { dest: 'minified', make: (c) => plant('public-api-token', 'minified sgp_ token', [`var t={token:"${c.publicApiToken}",host:"api.segmentapis.com"};`], c.publicApiToken) },
];

/** Look-alikes that must not be reported (Sourcegraph, SendGrid, placeholders, identifiers). */
export function decoys(gen) {
  return [
    `SOURCEGRAPH_TOKEN=sgp_${gen.hex(40)}`,
    `  sourcegraphToken: 'sgp_${gen.hex(16)}_${gen.hex(40)}',`,
    `SENDGRID_API_KEY=SG.${gen.alnum(22)}.${gen.alnum(43)}`,
    'SEGMENT_WRITE_KEY=your_write_key_here',
    '  analytics.load("YOUR_WRITE_KEY");',
    'SEGMENT_WRITE_KEY=${{ secrets.SEGMENT_WRITE_KEY }}',
    'const writeKey = process.env.SEGMENT_WRITE_KEY;',
    `const id = 'msg_${gen.alnum(24)}';`,
    'export function sg_computeWeightedAverage(values) { return values; }',
    `segmentSourceId: "${gen.alnum(22)}"`,
  ];
}

/**
 * Fake credentials for a plant seed. Ten-character legacy write keys made only of letters or only
 * of digits look like words and ids, and the rules rightly skip them; a plant needs a real-looking
 * one, so such seeds are re-drawn (deterministically).
 */
export function credentialsFor(seed, fakeCredentials) {
  for (let i = 0; ; i++) {
    const c = fakeCredentials(i === 0 ? seed : `${seed}/${i}`);
    if (/[a-z]/.test(c.legacyWriteKey) && /[0-9]/.test(c.legacyWriteKey)) return c;
  }
}
