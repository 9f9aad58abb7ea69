// SARIF reportingDescriptors for the rules that fired. GitHub code scanning reads
// properties["security-severity"] (a numeric string) to rank alerts and properties.tags to
// classify them; help.markdown is what it shows under "Show more".

import type { Confidence, RuleInfo } from '../types.js';
import type { SarifRule } from './sarifLog.js';
import { severityLevel } from './severity.js';

/** GitHub code scanning rejects a rule whose fullDescription is longer; the whole text stays in help. */
export const MAX_FULL_DESCRIPTION = 1024;
/** GitHub keeps at most 20 tags per rule. */
const MAX_TAGS = 20;
/** Hard-coded credentials. */
const CWE_TAG = 'external/cwe/cwe-798';

const PRECISION: Record<Confidence, string> = { high: 'high', medium: 'medium', low: 'low' };

export function pascalCase(id: string): string {
  return id
    .split(/[^A-Za-z0-9]+/)
    .filter((part) => part.length > 0)
    .map((part) => part[0]?.toUpperCase() + part.slice(1))
    .join('');
}

function helpText(rule: RuleInfo): string {
  const refs = rule.references.length > 0 ? `\n\nReferences:\n${rule.references.map((r) => `- ${r}`).join('\n')}` : '';
  return `${rule.remediation.trim()}${refs}`;
}

function helpMarkdown(rule: RuleInfo): string {
  const refs =
    rule.references.length > 0 ? `\n\n**References**\n\n${rule.references.map((r) => `- <${r}>`).join('\n')}` : '';
  return `${rule.description.trim()}\n\n**Remediation**\n\n${rule.remediation.trim()}${refs}`;
}

/** The description's first sentences that fit GitHub's limit, ending in "…" when cut. */
export function fullDescription(description: string): string {
  const text = description.trim();
  if (text.length <= MAX_FULL_DESCRIPTION) return text;
  const room = text.slice(0, MAX_FULL_DESCRIPTION - 1);
  const sentenceEnd = Math.max(room.lastIndexOf('. '), room.lastIndexOf('.\n'));
  const wordEnd = room.lastIndexOf(' ');
  const cut = sentenceEnd > MAX_FULL_DESCRIPTION / 2 ? sentenceEnd + 1 : wordEnd > 0 ? wordEnd : room.length;
  return `${room.slice(0, cut).trimEnd()}…`;
}

export function sarifRule(rule: RuleInfo): SarifRule {
  const tags = [...new Set(['security', 'secret', CWE_TAG, ...rule.tags])].slice(0, MAX_TAGS);
  return {
    id: rule.id,
    name: pascalCase(rule.id),
    shortDescription: { text: rule.title },
    fullDescription: { text: fullDescription(rule.description) },
    ...(rule.references[0] !== undefined ? { helpUri: rule.references[0] } : {}),
    help: { text: helpText(rule), markdown: helpMarkdown(rule) },
    defaultConfiguration: { level: severityLevel(rule.severity) },
    properties: {
      tags,
      precision: PRECISION[rule.confidence],
      'security-severity': rule.securitySeverity.toFixed(1),
      kind: rule.kind,
    },
  };
}
