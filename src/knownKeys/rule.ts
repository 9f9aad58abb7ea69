// The rule behind --known-keys findings. It has no pattern of its own for the engine to run (the
// known-key matcher finds its findings by hash), but reports need its title, message and
// remediation like any other rule's.

import { compilePattern } from '../engine/regex.js';
import type { CompiledRule } from '../rules/compiledRule.js';
import type { RuleInfo } from '../types.js';

export const KNOWN_KEY_RULE_ID = 'segment-known-write-key';

export const KNOWN_KEY_RULE_INFO: RuleInfo = {
  id: KNOWN_KEY_RULE_ID,
  title: 'Write key of a source in your workspace',
  description:
    'A token whose SHA-256 is that of a write key listed by `segscan workspace sync` (the --known-keys file), ' +
    'wherever it appears: minified bundles, odd variable names, plain text. It is certainly one of your keys, ' +
    "so confidence is the highest level (high); severity follows the source's kind: low for website and mobile " +
    'sources (their keys ship to every visitor), medium for server, cloud and other sources.',
  message: "Write key of one of your workspace's sources.",
  kind: 'write-key',
  severity: 'medium',
  securitySeverity: 5.5,
  confidence: 'high',
  verify: 'write-key',
  references: ['https://segment.com/docs/connections/find-writekey/'],
  remediation:
    "Rotate the source's write key: `segscan rotate write-key --source <source id> --token-from-env <NAME>` prints the plan; " +
    'add --apply to create a new key, deploy it, then run again with --remove-old --apply. ' +
    'Review the source\'s events for the exposure window and keep the new key in a secrets manager.',
  tags: ['segment', 'write-key', 'known-key'],
  file: '(built in; active with --known-keys)',
};

/** The rule as the engine lists it: its pattern is never run (keywords are empty). */
export function knownKeyRule(): CompiledRule {
  return {
    info: KNOWN_KEY_RULE_INFO,
    keywords: [],
    wholeFile: false,
    pattern: compilePattern('([A-Za-z0-9]{32}|[a-z0-9]{10})', true),
    secretGroup: 1,
    minEntropy: undefined,
    requireCharClasses: [],
    requireRandom: false,
    stopwords: [],
    allowRegexes: [],
    precededBy: undefined,
    appliesToPath: () => true,
    overrides: new Set(),
    examples: { match: [], noMatch: [] },
  };
}
