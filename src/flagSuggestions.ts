// What to type instead of an option segscan does not know: the closest segscan option for a typo,
// and segscan's way of saying it for the flags people bring from gitleaks and TruffleHog.

/** Flags of other scanners, and how segscan says the same thing. */
const OTHER_SCANNERS: Readonly<Record<string, string>> = {
  'log-opts': 'segscan git takes --range A..B, --since DATE and --branch REF instead of git log options',
  'report-format': 'use --format (text, json, sarif, github)',
  'report-path': 'use --output FILE',
  'since-commit': 'use --range COMMIT..HEAD',
  'no-git': 'scan files with segscan dir PATH (segscan git scans history)',
  source: 'name the path as an argument: segscan dir PATH or segscan git REPO',
  'baseline-path': 'use --baseline FILE',
  'max-target-megabytes': 'use --max-file-size SIZE (10MiB, 500KiB)',
  json: 'use --format json',
  results: 'use --only-verified to report only live keys',
  staged: 'scan the staged changes with segscan staged',
  'no-verification': 'segscan verifies only with --verify',
};

/** The option names in a yargs "Unknown argument(s): a, b" message, as typed (dashed, not camelCase duplicates). */
export function unknownOptionNames(message: string): string[] | undefined {
  const match = /^Unknown arguments?: (.*)$/s.exec(message.trim());
  if (!match?.[1]) return undefined;
  const names = match[1].split(/,\s*/).map((name) => name.trim()).filter((name) => name !== '');
  // yargs lists `log-opts` and its camelCase twin `logOpts`; keep the one the user typed.
  const dashed = new Set(names.filter((name) => name.includes('-')).map(camelCase));
  return names.filter((name) => name.includes('-') || !dashed.has(name));
}

/**
 * One clause per unknown name: `--log-opts: <what to do>` or `--formt: did you mean --format?`.
 * `argv` tells an option (`--name`) from a bare word, which yargs reports alike; `known` are the
 * option names of the command that was run, and a bare word is compared with `commands`.
 */
export function suggestionFor(name: string, argv: readonly string[], known: readonly string[], commands: readonly string[]): string {
  const short = name.length === 1 && argv.some((arg) => /^-[^-]/.test(arg) && arg.includes(name));
  // yargs reports `--no-git` as `git`: the flag as typed is the one to look up.
  const negated = argv.some((arg) => arg === `--no-${name}` || arg.startsWith(`--no-${name}=`));
  const typed = negated ? `no-${name}` : name;
  const isOption = short || negated || argv.some((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
  const shown = short ? `-${name}` : isOption ? `--${typed}` : name;
  const foreign = OTHER_SCANNERS[typed];
  if (foreign) return `unknown option ${shown}: ${foreign}`;
  const pool = isOption ? known.filter((k) => k.length > 1) : commands;
  const closest = short ? undefined : nearest(typed, pool);
  if (!closest) return `unknown ${isOption ? 'option' : 'argument'} ${shown}`;
  return `unknown ${isOption ? 'option' : 'argument'} ${shown}: did you mean ${isOption ? `--${closest}` : closest}?`;
}

/** The candidate within a third of the name's length in edits (at least 2), or a prefix match. */
function nearest(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = candidate.startsWith(name) && name.length >= 3 ? 0.5 : editDistance(name, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  const limit = Math.max(2, Math.floor(name.length / 3));
  return best && best.distance <= limit ? best.candidate : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function camelCase(name: string): string {
  return name.replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}
