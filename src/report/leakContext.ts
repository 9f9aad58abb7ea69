// What reporters say about a finding beyond where it is: the workspace source a known key belongs
// to (--known-keys) and what a live credential's holder can reach (--verify's blast radius). Pure;
// every name came from Segment, so it passes through the report's scrubber like any outside text.

import type { BlastRadius, KnownKeySource, ReachArea } from '../types.js';
import { plural } from './summary.js';

type Scrub = (text: string) => string;

/** Names shown per area in text; JSON and SARIF carry every name the walk kept. */
const NAMES_IN_TEXT = 8;

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

export function blastRadiusJson(b: BlastRadius, scrub: Scrub): BlastRadius {
  const out: BlastRadius = { credential: b.credential, areas: b.areas.map((a) => areaJson(a, scrub)) };
  if (b.workspace) {
    const w: NonNullable<BlastRadius['workspace']> = {};
    for (const key of ['id', 'slug', 'name', 'region'] as const) {
      const value = b.workspace[key];
      if (value !== undefined) w[key] = scrub(value);
    }
    out.workspace = w;
  }
  if (b.requests !== undefined) out.requests = b.requests;
  return out;
}

function areaJson(a: ReachArea, scrub: Scrub): ReachArea {
  const out: ReachArea = { area: a.area, access: a.access, names: a.names.map(scrub) };
  if (a.count !== undefined) out.count = a.count;
  if (a.complete !== undefined) out.complete = a.complete;
  if (a.writeKeysReadable !== undefined) out.writeKeysReadable = a.writeKeysReadable;
  if (a.note !== undefined) out.note = scrub(a.note);
  return out;
}

/** One line per area, for the text report. */
export function blastRadiusLines(b: BlastRadius, scrub: Scrub): string[] {
  const lines: string[] = [];
  if (b.workspace) {
    const w = b.workspace;
    const name = w.slug ?? w.name ?? w.id ?? '(unnamed)';
    const requests = b.requests === undefined ? '' : `, ${plural(b.requests, 'read-only request')}`;
    lines.push(`workspace \`${scrub(name)}\`${w.region ? ` (${w.region})` : ''}${requests}`);
  }
  for (const area of b.areas) lines.push(areaLine(b, area, scrub));
  return lines;
}

/** One sentence for places with room for one (SARIF messages). */
export function blastRadiusSentence(b: BlastRadius, scrub: Scrub): string {
  if (b.credential === 'write-key') return areaLine(b, b.areas[0] ?? { area: 'destinations', access: 'listed', names: [], count: 0 }, scrub);
  const parts = b.areas.map((a) => areaLine(b, a, scrub));
  return `the token reaches ${parts.join('; ')}`;
}

function areaLine(b: BlastRadius, a: ReachArea, scrub: Scrub): string {
  if (a.access !== 'listed') return `${a.area}: ${a.access}${a.note ? ` (${scrub(a.note)})` : ''}`;
  const count = `${a.count ?? a.names.length}${a.complete === false ? '+' : ''}`;
  const shown = a.names.slice(0, NAMES_IN_TEXT).map(scrub);
  const more = (a.count ?? a.names.length) > shown.length ? ', …' : '';
  const names = shown.length > 0 ? `: ${shown.join(', ')}${more}` : '';
  if (b.credential === 'write-key') return `events sent with this key reach ${count} destination${count === '1' ? '' : 's'}${names}`;
  const keys = a.writeKeysReadable ? ' (it can read their write keys: every write key is exposed)' : a.area === 'sources' ? ' (write keys not readable)' : '';
  return `${a.area} ${count}${names}${keys}`;
}
