// The JSON Schema of `.segscan.yaml`. It lives in a TypeScript module (not a .json file) so it
// ships inside dist/ with the code that validates against it; `segscan init --schema` prints it
// for editors.

const globList = {
  type: 'array',
  items: { type: 'string', minLength: 1 },
  maxItems: 500,
  description: 'Globs over paths relative to the scanned directory or repository; a glob without a slash matches the file name at any depth.',
} as const;

export const CONFIG_SCHEMA = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'segscan-config.schema.json',
  title: 'segscan configuration (.segscan.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    version: { const: 1, description: 'Format version; 1 is the only one so far.' },
    include: { ...globList, description: 'Only scan paths matching one of these globs (added to --include).' },
    exclude: { ...globList, description: 'Skip paths matching these globs (added to --exclude).' },
    maxFileSize: {
      type: ['string', 'integer'],
      pattern: '^\\s*\\d+(\\.\\d+)?\\s*([kKmMgG]([iI]?[bB])?|[bB])?\\s*$',
      minimum: 1,
      description: 'a size such as 10MiB, 500KiB or a number of bytes',
    },
    inlineIgnores: { type: 'boolean', description: 'Honour segscan:allow comments (false for policy scans).' },
    rules: {
      type: 'object',
      additionalProperties: false,
      properties: {
        disable: {
          type: 'array',
          items: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'a rule id as printed by segscan rules list' },
          description: 'Rule ids to turn off (added to --disable-rule).',
        },
        directories: {
          type: 'array',
          items: { type: 'string', minLength: 1 },
          description: 'Extra rule directories, relative to this file (added to --rules).',
        },
      },
    },
    allowlist: {
      type: 'object',
      additionalProperties: false,
      properties: {
        fingerprints: {
          type: 'array',
          items: { type: 'string', pattern: '^[0-9a-f]{32}$', description: 'a 32-character hex fingerprint as printed in reports' },
          description: 'Findings with these fingerprints are never reported.',
        },
        paths: { ...globList, description: 'Findings in paths matching these globs are never reported (the files are still scanned).' },
      },
    },
    verify: {
      type: 'object',
      additionalProperties: false,
      properties: {
        enabled: { type: 'boolean', description: 'Check whether each finding is live (like --verify).' },
        concurrency: { type: 'integer', minimum: 1, maximum: 64 },
        timeout: { type: 'number', exclusiveMinimum: 0, maximum: 600, description: 'Seconds per request.' },
        onlyVerified: { type: 'boolean' },
        failOn: { enum: ['any', 'live'] },
      },
    },
    output: {
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { enum: ['text', 'json', 'sarif', 'github'] },
        file: {
          type: 'string',
          minLength: 1,
          description: 'Write the report here, relative to this file (must stay inside its directory).',
        },
      },
    },
    baseline: { type: 'string', minLength: 1, description: 'Baseline file, relative to this file (like --baseline).' },
  },
} as const;

/** `.segscan.yaml` as validated against CONFIG_SCHEMA. */
export interface ConfigFileContent {
  version?: 1;
  include?: string[];
  exclude?: string[];
  maxFileSize?: string | number;
  inlineIgnores?: boolean;
  rules?: { disable?: string[]; directories?: string[] };
  allowlist?: { fingerprints?: string[]; paths?: string[] };
  verify?: { enabled?: boolean; concurrency?: number; timeout?: number; onlyVerified?: boolean; failOn?: 'any' | 'live' };
  output?: { format?: 'text' | 'json' | 'sarif' | 'github'; file?: string };
  baseline?: string;
}
