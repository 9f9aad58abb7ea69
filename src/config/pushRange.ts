// The commits a pre-push hook run by the pre-commit framework is about to push. pre-commit passes
// them as PRE_COMMIT_FROM_REF / PRE_COMMIT_TO_REF (older releases: PRE_COMMIT_ORIGIN for the
// remote side and PRE_COMMIT_SOURCE for the local side).
import { UsageError } from '../errors.js';

/** A ref or object name git would accept, and nothing that could pass as an option or a range. */
const REF = /^(?!-)(?!.*\.\.)[^\s~^:?*[\\]+$/;

/** `FROM..TO` for `segscan git --range`, or undefined when pre-commit gave no range (e.g. a first push of a root commit, where everything is new). */
export function pushRangeFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  const from = env.PRE_COMMIT_FROM_REF || env.PRE_COMMIT_ORIGIN;
  const to = env.PRE_COMMIT_TO_REF || env.PRE_COMMIT_SOURCE;
  if (!from || !to) return undefined;
  for (const [name, ref] of [['PRE_COMMIT_FROM_REF', from], ['PRE_COMMIT_TO_REF', to]] as const) {
    if (!REF.test(ref)) throw new UsageError(`${name} is not a git ref or commit; run the segscan-push hook through pre-commit's pre-push hook`);
  }
  return `${from}..${to}`;
}
