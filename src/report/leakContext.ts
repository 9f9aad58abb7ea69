// What reporters say about a finding beyond where it is: the workspace source a known key belongs
// to (--known-keys). Pure; every name came from Segment, so it passes through the report's
// scrubber like any outside text.

import type { KnownKeySource } from '../types.js';
import { plural } from './summary.js';

type Scrub = (text: string) => string;

/** "write key of source `ios-prod` (mobile, enabled, 6 destinations) in workspace `acme`" */
export function knownKeyText(k: KnownKeySource, scrub: Scrub): string {
  const s = k.source;
  const state = s.enabled ? 'enabled' : 'disabled';
  return `write key of source \`${scrub(s.slug)}\` (${s.kind}, ${state}, ${plural(s.destinations, 'destination')}) in workspace \`${scrub(k.workspace.slug)}\``;
}

/** The known key's attribution in a fixed key order (JSON, SARIF). */
export function knownKeyJson(k: KnownKeySource, scrub: Scrub): KnownKeySource {
  const s = k.source;
  return {
    workspace: { id: scrub(k.workspace.id), slug: scrub(k.workspace.slug), name: scrub(k.workspace.name) },
    source: { id: scrub(s.id), slug: scrub(s.slug), name: scrub(s.name), enabled: s.enabled, kind: s.kind, destinations: s.destinations },
  };
}
