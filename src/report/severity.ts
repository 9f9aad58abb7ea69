// Severity and confidence orderings, and how they map onto the alert levels every output format
// shares (SARIF level, GitHub annotation level). One place, so formats never disagree.

import type { Confidence, Severity, Verification } from '../types.js';

export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low'];
const CONFIDENCES: readonly Confidence[] = ['high', 'medium', 'low'];

/** 0 for the most severe; lower sorts first. */
export function severityRank(severity: Severity): number {
  return SEVERITIES.indexOf(severity);
}

/** 0 for the most confident; lower sorts first. */
export function confidenceRank(confidence: Confidence): number {
  return CONFIDENCES.indexOf(confidence);
}

export type AlertLevel = 'error' | 'warning' | 'note';

/** The level a rule's findings get by default, before verification. */
export function severityLevel(severity: Severity): AlertLevel {
  if (severity === 'critical' || severity === 'high') return 'error';
  return severity === 'medium' ? 'warning' : 'note';
}

/** A credential proven live is an error whatever the rule's severity: someone can use it now. */
export function findingLevel(severity: Severity, verification: Verification | undefined): AlertLevel {
  return verification?.status === 'live' ? 'error' : severityLevel(severity);
}

/** A finding's severity: its own when it has one (a known key's source kind), else its rule's. */
export function findingSeverity(finding: { severity?: Severity }, rule: { severity: Severity }): Severity {
  return finding.severity ?? rule.severity;
}

const SECURITY_SEVERITY: Record<Severity, number> = { critical: 9.5, high: 8.0, medium: 5.5, low: 3.0 };

/** The 0–10 score that goes with findingSeverity: the rule's own unless the finding's severity differs. */
export function findingSecuritySeverity(finding: { severity?: Severity }, rule: { severity: Severity; securitySeverity: number }): number {
  return finding.severity === undefined || finding.severity === rule.severity ? rule.securitySeverity : SECURITY_SEVERITY[finding.severity];
}
