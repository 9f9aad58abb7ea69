// The reporter registry: the CLI picks a format by name and never imports a reporter directly.

import { UsageError } from '../errors.js';
import type { Reporter } from '../types.js';
import { githubReporter } from './github.js';
import { jsonReporter } from './json.js';
import { sarifReporter } from './sarif.js';
import { textReporter } from './text.js';

export const REPORT_FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const REPORTERS: Record<ReportFormat, Reporter> = {
  text: textReporter,
  json: jsonReporter,
  sarif: sarifReporter,
  github: githubReporter,
};

export function isReportFormat(name: string): name is ReportFormat {
  return (REPORT_FORMATS as readonly string[]).includes(name);
}

/** The reporter for a format name; an unknown name is a usage error naming the valid ones. */
export function getReporter(format: string): Reporter {
  if (!isReportFormat(format)) {
    throw new UsageError(`Unknown report format "${format}". Use one of: ${REPORT_FORMATS.join(', ')}.`);
  }
  return REPORTERS[format];
}

export { githubReporter, jsonReporter, sarifReporter, textReporter };
export { toJsonReport, JSON_SCHEMA_VERSION, type JsonReport, type JsonFinding } from './json.js';
export { buildSarifLog, serialiseSarif, GITHUB_SARIF_LIMITS, type SarifLimits } from './sarif.js';
export { remediationHint } from './prose.js';
