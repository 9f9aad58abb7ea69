// What kind of source a Segment source is, from its catalog metadata, and how severe a leak of
// its write key is. Browser and app keys ship to every visitor or device (Segment calls them
// public); a server or cloud source's key is meant to stay secret, and anyone holding it can
// inject events into the source.

import type { Severity, SourceKind } from '../types.js';

export interface SourceMetadata {
  categories?: unknown;
  isCloudEventSource?: unknown;
}

/** Catalog categories of library sources; anything else in the catalog is a cloud app. */
const LIBRARY_CATEGORIES: ReadonlyArray<[RegExp, SourceKind]> = [
  [/^website$/i, 'website'],
  [/^(mobile|ott)$/i, 'mobile'],
  [/^server$/i, 'server'],
];

export function sourceKindOf(metadata: SourceMetadata | undefined): SourceKind {
  if (metadata?.isCloudEventSource === true) return 'cloud';
  const categories = Array.isArray(metadata?.categories) ? metadata.categories.filter((c): c is string => typeof c === 'string') : [];
  for (const [pattern, kind] of LIBRARY_CATEGORIES) if (categories.some((c) => pattern.test(c.trim()))) return kind;
  return categories.length > 0 ? 'cloud' : 'other';
}

export const SOURCE_KINDS: readonly SourceKind[] = ['website', 'server', 'mobile', 'cloud', 'other'];

/** The same levels the built-in write-key rules use for browser, mobile and server keys. */
export const SEVERITY_OF_SOURCE_KIND: Readonly<Record<SourceKind, Severity>> = {
  website: 'low',
  mobile: 'low',
  server: 'medium',
  cloud: 'medium',
  other: 'medium',
};
