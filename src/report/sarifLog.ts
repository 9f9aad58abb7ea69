// The subset of SARIF 2.1.0 that segscan writes, typed so the builder cannot drift from it.

import type { AlertLevel } from './severity.js';

export interface SarifMessage {
  text: string;
  markdown?: string;
}

export interface SarifArtifactLocation {
  uri: string;
  uriBaseId: string;
}

export interface SarifRegion {
  startLine: number;
  startColumn: number;
  endLine: number;
  endColumn: number;
}

export interface SarifLocation {
  physicalLocation: { artifactLocation: SarifArtifactLocation; region?: SarifRegion };
}

export interface SarifRule {
  id: string;
  name: string;
  shortDescription: SarifMessage;
  fullDescription: SarifMessage;
  helpUri?: string;
  help: { text: string; markdown: string };
  defaultConfiguration: { level: AlertLevel };
  properties: { tags: string[]; precision: string; 'security-severity': string; kind: string };
}

export interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: AlertLevel;
  message: SarifMessage;
  locations: [SarifLocation];
  partialFingerprints: { 'segscan/location/v1': string; 'segscan/v1': string };
  suppressions?: Array<{ kind: 'inSource' | 'external'; justification: string }>;
  properties: Record<string, unknown>;
}

export interface SarifNotification {
  level: AlertLevel;
  message: SarifMessage;
  descriptor: { id: string };
  locations?: SarifLocation[];
}

export interface SarifRun {
  tool: {
    driver: { name: string; version: string; semanticVersion: string; informationUri: string; rules: SarifRule[] };
  };
  automationDetails: { id: string };
  originalUriBaseIds: Record<string, { uri: string }>;
  versionControlProvenance?: Array<{ repositoryUri: string; revisionId?: string; branch?: string; mappedTo?: { uriBaseId: string } }>;
  invocations: [{ executionSuccessful: boolean; toolExecutionNotifications: SarifNotification[] }];
  columnKind: 'utf16CodeUnits';
  results: SarifResult[];
}

export interface SarifLog {
  $schema: string;
  version: '2.1.0';
  runs: [SarifRun];
}
