// The blast radius of a live write key, read from the CDN settings answer the liveness check
// already fetched: the integrations it lists are the destinations the source's events reach.
// Anyone holding the key can send events that flow to each of them. No extra request.

import type { BlastRadius } from '../types.js';

/** Names kept: a source rarely feeds more, and a report needs no more to show the exposure. */
const MAX_NAMES = 50;

export function writeKeyReach(integrations: Record<string, unknown>): BlastRadius {
  // "Segment.io" is the source's own entry (it names the key), not a destination.
  const names = Object.keys(integrations).filter((name) => name !== 'Segment.io').sort();
  return {
    credential: 'write-key',
    areas: [{ area: 'destinations', access: 'listed', count: names.length, complete: true, names: names.slice(0, MAX_NAMES) }],
  };
}
