// The shape of a rule file after YAML parsing and schema validation (see rules/schema.json).

export type ExampleSpec = string | { text: string; path?: string };

export interface RuleSpec {
  id: string;
  title: string;
  description: string;
  message?: string;
  kind: 'public-api-token' | 'write-key' | 'config-api-token' | 'sg-key' | 'generic';
  severity: 'critical' | 'high' | 'medium' | 'low';
  securitySeverity?: number;
  confidence?: 'high' | 'medium' | 'low';
  keywords: string[];
  scope?: 'keyword' | 'file';
  pattern: string;
  secretGroup?: number | string;
  entropy?: number;
  requireCharClasses?: Array<'upper' | 'lower' | 'digit'>;
  requireRandom?: boolean;
  paths?: string[];
  allowlist?: { stopwords?: string[]; regexes?: string[]; paths?: string[]; precededBy?: { words: string[]; within?: number } };
  verify: 'write-key' | 'public-api-token' | 'config-api-token' | 'sg-key' | 'auto' | 'none';
  references?: string[];
  remediation: string;
  tags?: string[];
  overrides?: string[];
  examples: { match: ExampleSpec[]; noMatch: ExampleSpec[] };
}

/** A rule file as read from disk: where it came from and its parsed (unvalidated) content. */
export interface RuleFile {
  /** Path shown in messages (relative to the working directory when possible). */
  file: string;
  content: unknown;
  /** Validated and compiled when segscan was built (the built-in rule cache): the schema check is
   * skipped, and its patterns compile on first use. */
  trusted?: boolean;
}
