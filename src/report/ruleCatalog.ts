// Looks up the RuleInfo behind each finding. A finding whose rule is missing from report.rules
// is a bug upstream, but a report must still be written (it may be the only record of a leak),
// so such findings get a conservative stand-in rule instead of crashing the reporter.

import type { RuleInfo, ScanReport } from '../types.js';

export type RuleCatalog = (ruleId: string) => RuleInfo;

function standInRule(id: string): RuleInfo {
  return {
    id,
    title: id,
    description: `Findings of rule ${id}.`,
    message: 'Possible Segment credential',
    kind: 'generic',
    severity: 'high',
    securitySeverity: 8,
    confidence: 'medium',
    verify: 'none',
    references: [],
    remediation: 'Revoke the credential in Segment, then rotate it and store the new one in a secrets manager.',
    tags: [],
    file: '',
  };
}

export function ruleCatalog(report: ScanReport): RuleCatalog {
  const byId = new Map(report.rules.map((rule) => [rule.id, rule] as const));
  return (ruleId) => {
    let rule = byId.get(ruleId);
    if (!rule) {
      rule = standInRule(ruleId);
      byId.set(ruleId, rule);
    }
    return rule;
  };
}
