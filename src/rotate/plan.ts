// The rotation plan `segscan rotate write-key` prints before changing anything (and alone without
// --apply). Pure: it names each request in order, with no key in it.
import { plural } from '../report/summary.js';
import type { SourceKind } from '../types.js';

export interface PlanSource {
  id: string;
  slug: string;
  kind: SourceKind;
  enabled: boolean;
  writeKeys: number;
}

export interface PlanInput {
  workspace: string;
  source: PlanSource;
  /** Where the new key goes: "FILE (mode 0600)" or "standard output as dotenv". */
  destination: string | undefined;
  removeOld: boolean;
  /** The --remove-old run after a first --apply: no new key is created. */
  keyFromFile: string | undefined;
}

export function rotationPlan(p: PlanInput): string[] {
  const s = p.source;
  const lines = [
    `Rotating the write key of source \`${s.slug}\` (${s.id}, ${s.kind}, ${s.enabled ? 'enabled' : 'disabled'}, ${plural(s.writeKeys, 'write key')} now) in workspace \`${p.workspace}\`:`,
  ];
  const step = (text: string) => lines.push(`  ${lines.length}. ${text}`);
  if (p.keyFromFile === undefined) {
    step(`POST /sources/${s.id}/writekey creates a new write key`);
    step(`the new key is written to ${p.destination ?? '(--new-key-file FILE or --new-key-format FORMAT)'}, never to the log`);
  } else {
    step(`the new key is read from ${p.keyFromFile} and must already be a write key of this source`);
  }
  if (p.removeOld) {
    step(`GET cdn.segment.com/v1/projects/<new key>/settings must answer 200: the new key is live`);
    step(`DELETE /sources/${s.id}/writekey/<old key> for each old key; anything still sending with one stops being accepted`);
  } else {
    step('deploy the new key to every system that sends with the old one (a secrets manager, not code)');
    step(`segscan rotate write-key --source ${s.id} --remove-old --apply --new-key-from-file FILE removes the old key once the new one answers live`);
  }
  return lines;
}
