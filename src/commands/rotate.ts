// `segscan rotate write-key`: the plan, and with --apply the two documented write-key calls, and
// `segscan rotate public-api-token`: what to do in the app (tokens cannot be rotated by API).
import { resolve } from 'node:path';
import { EXIT, SegmentApiError, UsageError } from '../errors.js';
import { REGION_LABEL, connect, text, type PublicApi } from '../segment/publicApi.js';
import { sourceKindOf } from '../segment/sourceKind.js';
import { isRecord, type HttpClient } from '../verify/http.js';
import { verifyWriteKey } from '../verify/writeKey.js';
import { formatNewKey, parseNewKeyFormat, readKeyFile, reserveKeyFile, type NewKeyFormat } from '../rotate/newKeyOutput.js';
import { rotationPlan, type PlanSource } from '../rotate/plan.js';
import { tokenRevocationSteps } from '../rotate/tokenRevocation.js';
import { ApplyConsent, writeKeyMutations, type WriteKeyMutations } from '../rotate/writeKeyMutations.js';
import type { CommandIO, CommandResult } from './io.js';
import { openSegmentHttp, regionOf, secretFromEnv, tokenFromEnv, type SegmentArgs } from './segmentOptions.js';

export interface RotateWriteKeyArgs extends SegmentArgs {
  source?: string;
  tokenFromEnv?: string;
  apply: boolean;
  removeOld: boolean;
  newKeyFile?: string;
  newKeyFormat?: string;
  newKeyFromFile?: string;
}

/** Exit code when the new key did not answer live on the CDN, so no old key was removed. */
export const EXIT_NEW_KEY_NOT_LIVE = 1;

interface Checked {
  sourceId: string;
  token: string;
  format: NewKeyFormat | undefined;
}

function checkArgs(args: RotateWriteKeyArgs, io: CommandIO): Checked {
  const sourceId = args.source?.trim() ?? '';
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(sourceId)) throw new UsageError('--source needs the id of a source (letters, digits, - and _), as segscan workspace sync or the app shows it');
  const token = tokenFromEnv('--token-from-env', args.tokenFromEnv, io.env);
  const format = args.newKeyFormat === undefined ? undefined : parseNewKeyFormat(args.newKeyFormat);
  if (args.newKeyFile !== undefined && format) throw new UsageError('--new-key-file and --new-key-format both say where the new key goes; pick one');
  if (args.newKeyFromFile !== undefined) {
    if (!args.removeOld) throw new UsageError('--new-key-from-file is for the --remove-old run that follows a first --apply');
    if (args.newKeyFile !== undefined || format) throw new UsageError('--new-key-from-file reuses the key already created; it does not go with --new-key-file or --new-key-format');
  } else if (args.apply && args.newKeyFile === undefined && !format) {
    throw new UsageError('--apply creates a new key: say where it goes with --new-key-file FILE (mode 0600) or --new-key-format raw|dotenv|json (standard output); it is never printed to the log');
  }
  if (format && io.stdoutIsTTY) throw new UsageError('--new-key-format writes the key to standard output, which is a terminal here; pipe it into your secrets manager, or use --new-key-file FILE');
  return { sourceId, token, format };
}

async function readSource(api: PublicApi, sourceId: string, signal?: AbortSignal): Promise<{ plan: PlanSource; writeKeys: string[] }> {
  const answer = await api.get(`/sources/${sourceId}`, {}, signal);
  if (!answer.ok) {
    const advice = answer.status === 404 ? `no source ${sourceId} in this workspace; check --source (segscan workspace sync lists them)` : answer.denied ? 'the token may not read this source' : 'try again later';
    throw new SegmentApiError(`${answer.reason}; ${advice}`);
  }
  const s = isRecord(answer.data['source']) ? answer.data['source'] : {};
  const writeKeys = Array.isArray(s['writeKeys']) ? s['writeKeys'].filter((k): k is string => typeof k === 'string') : [];
  const plan: PlanSource = {
    id: sourceId,
    slug: text(s['slug']) || sourceId,
    kind: sourceKindOf(isRecord(s['metadata']) ? s['metadata'] : undefined),
    enabled: s['enabled'] === true,
    writeKeys: writeKeys.length,
  };
  return { plan, writeKeys };
}

/** What the steps after the plan share. */
interface Rotation {
  sourceId: string;
  /** The source's write keys before this run changed anything. */
  before: string[];
  args: RotateWriteKeyArgs;
  format: NewKeyFormat | undefined;
  cwd: string;
  mutations: WriteKeyMutations;
  log: (line: string) => void;
}

export async function runRotateWriteKey(args: RotateWriteKeyArgs, io: CommandIO): Promise<CommandResult> {
  const { sourceId, token, format } = checkArgs(args, io);
  const log = (line: string) => io.writeStderr(`segscan: ${line}\n`);
  // With --new-key-format, standard output holds the key and nothing else; the rest goes to stderr.
  let report = '';
  const say = (line: string) => (format ? io.writeStderr(`${line}\n`) : (report += `${line}\n`));
  const segment = await openSegmentHttp(args, io);
  try {
    const connection = await connect(segment.http, token, regionOf(args.region), io.signal);
    if (!connection.ok) throw new SegmentApiError(`${connection.reason}; check that the variable holds a live Public API token of this workspace`);
    const { api, workspace } = connection;
    const { plan, writeKeys: before } = await readSource(api, sourceId, io.signal);
    const destination = args.newKeyFile !== undefined ? `${args.newKeyFile} (mode 0600)` : format ? `standard output as ${format}` : undefined;
    say(`${rotationPlan({ workspace: workspace.slug, source: plan, destination, removeOld: args.removeOld, keyFromFile: args.newKeyFromFile }).join('\n')}\n`);
    const consent = ApplyConsent.fromApplyFlag(args.apply);
    if (!consent) {
      say('Nothing was changed (this was the plan). Run again with --apply to make these calls.');
      return { exitCode: 0, stdout: report, stderr: '' };
    }
    const mutations = writeKeyMutations(consent, {
      fetch: segment.fetch,
      token,
      region: api.region,
      endpoints: segment.endpoints,
      timeoutMs: args.verifyTimeout * 1000,
      log,
      signal: io.signal,
    });
    const rotation: Rotation = { sourceId, before, args, format, cwd: io.cwd, mutations, log };
    const { newKey, keyOutput } = args.newKeyFromFile !== undefined ? keyFromFile(rotation, args.newKeyFromFile) : await createKey(rotation);
    const stdout = () => (format ? keyOutput : report);
    if (!args.removeOld) {
      say(`Done. Deploy the new key, then remove the old one: segscan rotate write-key --source ${sourceId} --remove-old --apply --new-key-from-file ${args.newKeyFile ?? 'FILE'}`);
      return { exitCode: 0, stdout: stdout(), stderr: '' };
    }
    // A new key may exist from here on: nothing below throws, or a key meant for stdout would be lost.
    const removal = await removeOldKeys(rotation, newKey, segment.http, io.signal);
    if (removal.line) say(removal.line);
    return { exitCode: removal.exitCode, stdout: stdout(), stderr: removal.error ? `segscan: error: ${removal.error}\n` : '' };
  } finally {
    await segment.close();
  }
}

/** The --remove-old run after a deploy: the key the first run wrote, which must be one of the source's. */
function keyFromFile(r: Rotation, file: string): { newKey: string; keyOutput: string } {
  const newKey = readKeyFile(resolve(r.cwd, file), file);
  if (!r.before.includes(newKey)) {
    const why = r.before.length === 0 ? ' (or the token cannot read its write keys: it needs Source Admin)' : '';
    throw new SegmentApiError(`the key in ${file} is not a write key of source ${r.sourceId}${why}; nothing was changed`);
  }
  return { newKey, keyOutput: '' };
}

/** POST a new key and put it where the user asked; the one new key is told apart from the old ones. */
async function createKey(r: Rotation): Promise<{ newKey: string; keyOutput: string }> {
  if (r.args.removeOld && r.before.length === 0) {
    throw new SegmentApiError(`the token cannot see source ${r.sourceId}'s write keys (it needs Source Admin), so the old key cannot be told from the new; nothing was changed`);
  }
  const file = r.args.newKeyFile;
  const reserved = file === undefined ? undefined : reserveKeyFile(resolve(r.cwd, file), file);
  const created = await r.mutations.createWriteKey(r.sourceId);
  const fresh = created.ok ? created.writeKeys.filter((k) => !r.before.includes(k)) : [];
  if (!created.ok || fresh.length !== 1) {
    reserved?.abandon();
    throw new SegmentApiError(
      created.ok
        ? `a write key was created, but segscan cannot tell which of the source's ${created.writeKeys.length} keys is new; nothing was removed; see the source's Settings > API Keys in the app`
        : created.reason,
    );
  }
  const newKey = fresh[0]!;
  if (!reserved) return { newKey, keyOutput: formatNewKey(r.format ?? 'raw', r.sourceId, newKey) };
  reserved.write(newKey);
  r.log(`new write key written to ${file} (mode 0600)`);
  return { newKey, keyOutput: '' };
}

/** Remove every other key of the source, but only once the new key answers live on the CDN. */
async function removeOldKeys(r: Rotation, newKey: string, http: HttpClient, signal: AbortSignal | undefined): Promise<{ exitCode: number; line?: string; error?: string }> {
  const check = await verifyWriteKey(newKey, http, signal);
  r.log(`GET cdn.segment.com/v1/projects/<new key>/settings -> ${check.status}`);
  if (check.status !== 'live') {
    const again = `segscan rotate write-key --source ${r.sourceId} --remove-old --apply --new-key-from-file ${r.args.newKeyFile ?? r.args.newKeyFromFile ?? 'FILE'}`;
    return { exitCode: EXIT_NEW_KEY_NOT_LIVE, line: `The new key does not answer live on the CDN yet: ${check.reason}. No key was removed. Deploy it, then run: ${again}` };
  }
  const old = r.before.filter((k) => k !== newKey);
  for (const key of old) {
    const removed = await r.mutations.removeWriteKey(r.sourceId, key);
    if (!removed.ok) return { exitCode: EXIT.error, error: removed.reason };
  }
  if (old.length === 0) return { exitCode: 0, line: 'No old write key to remove: the new key is the only one.' };
  return { exitCode: 0, line: `Done: removed ${old.length} old write key${old.length === 1 ? '' : 's'}; the source now accepts only the new key.` };
}

export interface RotateTokenArgs extends SegmentArgs {
  fromEnv?: string;
  since?: string;
}

export async function runRotatePublicApiToken(args: RotateTokenArgs, io: CommandIO): Promise<CommandResult> {
  const token = secretFromEnv('--from-env', args.fromEnv, io.env);
  if (!/^sgp_[A-Za-z0-9]{64}$/.test(token)) throw new UsageError(`environment variable ${args.fromEnv?.trim()} does not hold a Public API token (sgp_ followed by 64 letters and digits)`);
  const segment = await openSegmentHttp(args, io);
  try {
    const connection = await connect(segment.http, token, regionOf(args.region), io.signal);
    const workspace = connection.ok ? { slug: connection.workspace.slug, region: connection.api.region } : undefined;
    const status = connection.ok
      ? `The token is live: it belongs to workspace \`${connection.workspace.slug}\` (${REGION_LABEL[connection.api.region]}). Public API tokens cannot be rotated or deleted through the API.`
      : connection.denied
        ? 'The token is not accepted in either region: it is already revoked (Segment revokes sgp_ tokens that GitHub finds in public repositories) or was never valid. Review what it did while it was live anyway.'
        : `Whether the token is live could not be checked (${connection.reason}).`;
    return { exitCode: 0, stdout: `${[status, '', ...tokenRevocationSteps(workspace, args.since)].join('\n')}\n`, stderr: '' };
  } finally {
    await segment.close();
  }
}
