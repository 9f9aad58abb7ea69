// `segscan workspace sync`: write the known-keys file of the token's workspace.
import { resolve } from 'node:path';
import { SegmentApiError } from '../errors.js';
import { plural } from '../report/summary.js';
import { REGION_LABEL, connect } from '../segment/publicApi.js';
import { serializeKnownKeys } from '../knownKeys/file.js';
import { syncKnownKeys } from '../knownKeys/sync.js';
import type { CommandIO, CommandResult } from './io.js';
import { writeFileAtomic } from './reportFile.js';
import { openSegmentHttp, regionOf, tokenFromEnv, type SegmentArgs } from './segmentOptions.js';

export const DEFAULT_KNOWN_KEYS_FILE = '.segscan-known-keys.json';

export interface WorkspaceSyncArgs extends SegmentArgs {
  tokenFromEnv?: string;
  output?: string;
}

export async function runWorkspaceSync(args: WorkspaceSyncArgs, io: CommandIO): Promise<CommandResult> {
  const token = tokenFromEnv('--token-from-env', args.tokenFromEnv, io.env);
  const region = regionOf(args.region);
  const output = args.output ?? DEFAULT_KNOWN_KEYS_FILE;
  const segment = await openSegmentHttp(args, io);
  try {
    const connection = await connect(segment.http, token, region, io.signal);
    if (!connection.ok) {
      throw new SegmentApiError(`${connection.reason}; ${connection.denied ? 'check that the variable holds a live Public API token of this workspace (and --region)' : 'try again later'}`);
    }
    const { file, withoutKeys } = await syncKnownKeys(connection.api, connection.workspace, new Date(), io.signal);
    // Hashes only, but old 10-character keys can be brute-forced from theirs: owner-only, like a key file.
    await writeFileAtomic(resolve(io.cwd, output), serializeKnownKeys(file), { mode: 0o600 });
    const keys = file.sources.reduce((n, s) => n + s.writeKeys.length, 0);
    const lines = [
      `wrote ${output}: ${plural(file.sources.length, 'source')}, ${plural(keys, 'write key')} (SHA-256 only) of workspace \`${file.workspace.slug}\` (${REGION_LABEL[file.workspace.region]})`,
    ];
    if (withoutKeys > 0) lines.push(`note: ${plural(withoutKeys, 'source')} came back without write keys; the token may lack Source Admin on them`);
    lines.push(`scan with it: segscan dir . --known-keys ${output}`);
    return { exitCode: 0, stdout: `${lines.join('\n')}\n`, stderr: '' };
  } finally {
    await segment.close();
  }
}
