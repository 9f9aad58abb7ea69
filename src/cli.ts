// yargs wiring: argv -> a command and its typed options. No scanning logic here; commands are
// imported when they run, so `segscan --version` and `segscan staged` start fast.
import yargs, { type Argv } from 'yargs';
import type { CommandIO, CommandResult } from './commands/io.js';
import { normaliseRedactArguments, withScanOptions, type ScanArgs } from './commands/scanOptions.js';
import { withSegmentOptions } from './commands/segmentOptions.js';
import { recordDefaultedOptions } from './config/explicitOptions.js';
import { toolVersion } from './commands/version.js';
import { suggestionFor, unknownOptionNames } from './flagSuggestions.js';
import { redactLikelySecrets } from './engine/redact.js';
import { visible } from './report/escape.js';
import { EXIT, ScanFailedError, SegscanError, UsageError } from './errors.js';

export type { CommandIO, CommandResult } from './commands/io.js';

type Handler = (args: Record<string, unknown>) => Promise<CommandResult>;

const dirOptions = <T>(y: Argv<T>) =>
  withScanOptions(y).positional('paths', { type: 'string', array: true, default: ['.'], describe: 'Files or directories to scan' });
const gitOptions = <T>(y: Argv<T>) =>
  withScanOptions(y)
    .positional('repo', { type: 'string', default: '.', describe: 'Repository (work tree or bare)' })
    .option('branch', { type: 'string', array: true, default: [] as string[], describe: 'Only commits reachable from this ref (repeatable)' })
    .option('since', { type: 'string', describe: 'Only commits after DATE (anything git log --since accepts)' })
    .option('range', { type: 'string', describe: 'A..B: only what B adds over A (pull-request scans)' })
    .option('range-from-env', { type: 'boolean', default: false, describe: "Take the range from pre-commit's pre-push variables (PRE_COMMIT_FROM_REF..PRE_COMMIT_TO_REF)" });
const stagedOptions = <T>(y: Argv<T>) => withScanOptions(y).positional('repo', { type: 'string', default: '.', describe: 'Repository' });

function buildParser(argv: string[], io: CommandIO, done: (result: CommandResult) => void): Argv {
  const wrap = (handler: Handler) => async (args: Record<string, unknown>) => done(await handler(args));
  const parser = yargs(argv);
  skipHelpCache(parser);
  // Remember which options were typed, so a config file fills in only the others.
  parser.middleware((a) => recordDefaultedOptions(a, parser.parsed));
  return parser
    .scriptName('segscan')
    // segscan speaks English; without this yargs would translate only its own part of a message
    // (from LANG), and the bundled CLI, which does not ship yargs' translations, would not.
    .locale('en')
    .usage('$0 <command> [options]\n\nFinds Segment credentials in files, git history and staged changes.')
    .command('dir [paths..]', 'Scan files and directories (default: the current directory)', dirOptions,
      wrap(async (a) => (await import('./commands/dir.js')).runDir(a as unknown as ScanArgs & { paths: string[] }, io)))
    .command('stdin', 'Scan standard input as one file', (y) =>
      withScanOptions(y).option('path', { type: 'string', default: 'stdin', describe: 'Name used for the input in reports and path-based rules' }),
      wrap(async (a) => (await import('./commands/stdin.js')).runStdin(a as unknown as ScanArgs & { path: string }, io)))
    .command('git [repo]', 'Scan the history of a git repository (all refs by default)', gitOptions,
      wrap(async (a) => (await import('./commands/git.js')).runGit(a as never, io)))
    .command('staged [repo]', 'Scan the lines staged for the next commit (for pre-commit hooks)', stagedOptions,
      wrap(async (a) => (await import('./commands/staged.js')).runStaged(a as never, io)))
    .command('baseline', 'Record the current findings of a dir, git or staged scan as accepted (a baseline file)', (y) => {
      const baselineFile = { type: 'string', describe: 'Baseline file to write (default: .segscan-baseline.json)' } as const;
      const record = (scan: 'dir' | 'git' | 'staged') => wrap(async (a) => (await import('./commands/baseline.js')).runBaseline(scan, a as unknown as ScanArgs, io));
      return y
        .command('dir [paths..]', 'Baseline of a directory scan', (yy) => dirOptions(yy).option('output', baselineFile), record('dir'))
        .command('git [repo]', 'Baseline of a history scan', (yy) => gitOptions(yy).option('output', baselineFile), record('git'))
        .command('staged [repo]', 'Baseline of the staged changes', (yy) => stagedOptions(yy).option('output', baselineFile), record('staged'))
        .demandCommand(1, 'Say which scan to record: segscan baseline dir, git or staged');
    })
    .command('init [dir]', 'Write a commented starter .segscan.yaml (in DIR, default: here)', (y) =>
      y.positional('dir', { type: 'string', describe: 'Directory to write it in' })
        .option('force', { type: 'boolean', default: false, describe: 'Replace an existing .segscan.yaml' })
        .option('schema', { type: 'boolean', default: false, describe: "Print the config file's JSON Schema instead" }),
      wrap(async (a) => (await import('./commands/init.js')).runInit(a as never, io)))
    .command('install-hook [repo]', 'Install a plain git hook that runs segscan (pre-commit, or pre-push)', (y) =>
      y.positional('repo', { type: 'string', default: '.', describe: 'Repository' })
        .option('pre-push', { type: 'boolean', default: false, describe: 'Install a pre-push hook scanning the commits being pushed' })
        .option('force', { type: 'boolean', default: false, describe: 'Replace an existing hook' })
        .option('print', { type: 'boolean', default: false, describe: 'Print the hook script instead (for husky, lefthook, ...)' }),
      wrap(async (a) => (await import('./commands/installHook.js')).runInstallHook(a as never, io)))
    .command('rules', 'List or test rules', (y) =>
      y
        .command('list', 'Print the rules', (yy) =>
          yy.option('rules', { type: 'string', array: true, default: [] as string[], describe: 'Extra rule directory (repeatable)' })
            .option('format', { alias: 'f', type: 'string', choices: ['text', 'json'], default: 'text' }),
          wrap(async (a) => (await import('./commands/rules.js')).runRulesList(a as never, io)))
        .command('test [dir]', "Run every rule's examples (built-in rules, or DIR's rules beside them)", (yy) =>
          yy.positional('dir', { type: 'string', describe: 'Rule directory to test' })
            .option('rules', { type: 'string', array: true, default: [] as string[], describe: 'Extra rule directory (repeatable)' })
            .option('disable-rule', { type: 'string', array: true, default: [] as string[], describe: 'Rule id to leave out, e.g. a built-in rule that claims the same text (repeatable)' }),
          wrap(async (a) => (await import('./commands/rules.js')).runRulesTest(a as never, io)))
        .command('score <corpus>', 'Scan a labelled corpus (files/ and truth.tsv) and print recall per kind and form, misses and false positives', (yy) =>
          yy.positional('corpus', { type: 'string', describe: 'Directory holding files/ (or the files) and truth.tsv' })
            .option('truth', { type: 'string', describe: 'Truth file: path<TAB>line<TAB>kind[<TAB>form] per credential line (default: CORPUS/truth.tsv)' })
            .option('rules', { type: 'string', array: true, default: [] as string[], describe: 'Extra rule directory (repeatable)' })
            .option('format', { alias: 'f', type: 'string', choices: ['text', 'json'], default: 'text' })
            .option('min-recall', { type: 'number', describe: 'Exit 1 when recall (percent) is below this' })
            .option('max-false-positives', { type: 'number', describe: 'Exit 1 when there are more false positives than this' }),
          wrap(async (a) => (await import('./commands/rulesScore.js')).runRulesScore(a as never, io)))
        .demandCommand(1, 'Say which: segscan rules list, rules test [dir] or rules score CORPUS'))
    .command('verify-key', 'Check whether one key is live (reads it from --from-env or stdin, never argv)', (y) =>
      y.option('from-env', { type: 'string', describe: 'Name of the environment variable holding the key' })
        .option('kind', { type: 'string', choices: ['write-key', 'public-api-token', 'config-api-token', 'sg-key'], describe: 'Credential kind (default: detected from its shape)' })
        .option('verify-timeout', { type: 'number', default: 10, describe: 'Seconds before the request gives up' })
        .option('verify-endpoint', { type: 'string', array: true, default: [] as string[], describe: 'HOST=BASE_URL override (tests, mirrors)' }),
      wrap(async (a) => (await import('./commands/verifyKey.js')).runVerifyKeyCommand(a as never, io)))
    // After a leak: the commands that read (and, for write keys with --apply, change) the workspace.
    .command('workspace', "Read your workspace (known-keys file for --known-keys)", (y) =>
      y.command('sync', "Write the known-keys file: each source with the SHA-256 of its write keys (never a key)", (yy) =>
        withSegmentOptions(yy)
          .option('token-from-env', { type: 'string', describe: 'Environment variable holding a Workspace Owner Public API token (read-only use)' })
          .option('output', { alias: 'o', type: 'string', describe: 'Known-keys file to write (default: .segscan-known-keys.json, mode 0600)' }),
        wrap(async (a) => (await import('./commands/workspaceSync.js')).runWorkspaceSync(a as never, io)))
        .demandCommand(1, 'Say which: segscan workspace sync'))
    .command('blast-radius', 'Show what one live key can reach (reads it from --from-env, never argv)', (y) =>
      y.option('from-env', { type: 'string', describe: 'Environment variable holding the write key or sgp_ token' })
        .option('format', { alias: 'f', type: 'string', choices: ['text', 'json'], default: 'text' })
        .option('verify-timeout', { type: 'number', default: 10, describe: 'Seconds before one request gives up' })
        .option('verify-endpoint', { type: 'string', array: true, default: [] as string[], describe: 'HOST=BASE_URL override (tests, mirrors)' }),
      wrap(async (a) => (await import('./commands/blastRadius.js')).runBlastRadius(a as never, io)))
    .command('rotate', 'Guided rotation of a leaked key (a plan; changes only with --apply)', (y) =>
      y.command('write-key', "Create a new write key for a source and remove the old one (POST/DELETE only with --apply)", (yy) =>
        withSegmentOptions(yy)
          .option('source', { type: 'string', describe: 'Id of the source whose write key to rotate' })
          .option('token-from-env', { type: 'string', describe: 'Environment variable holding a Public API token with Source Admin' })
          .option('apply', { type: 'boolean', default: false, describe: 'Make the changes (without it: print the plan, change nothing)' })
          .option('remove-old', { type: 'boolean', default: false, describe: 'Remove the old key(s), once the new key answers live on the CDN' })
          .option('new-key-file', { type: 'string', describe: 'Write the new key to this new file (mode 0600)' })
          .option('new-key-format', { type: 'string', choices: ['raw', 'dotenv', 'json'], describe: 'Write the new key to stdout in this format (pipe it to a secrets manager)' })
          .option('new-key-from-file', { type: 'string', describe: 'With --remove-old: the key a first --apply wrote; keep it, remove the others' }),
        wrap(async (a) => (await import('./commands/rotate.js')).runRotateWriteKey(a as never, io)))
        .command('public-api-token', 'What to do about a leaked sgp_ token: the app page that deletes it, the audit to run', (yy) =>
          withSegmentOptions(yy)
            .option('from-env', { type: 'string', describe: 'Environment variable holding the leaked token' })
            .option('since', { type: 'string', describe: 'Start of the exposure window, for the audit command it prints' }),
          wrap(async (a) => (await import('./commands/rotate.js')).runRotatePublicApiToken(a as never, io)))
        .demandCommand(1, 'Say which: segscan rotate write-key, or segscan rotate public-api-token'))
    .command('audit', 'List the audit events done by API tokens in an exposure window', (y) =>
      withSegmentOptions(y)
        .option('since', { type: 'string', describe: 'Start of the window (2024-05-01 or an ISO time)' })
        .option('until', { type: 'string', describe: 'End of the window (default: now)' })
        .option('report', { type: 'string', describe: "A segscan JSON report: the window starts at its earliest finding's commit date" })
        .option('token-from-env', { type: 'string', describe: 'Environment variable holding a Workspace Owner Public API token' })
        .option('format', { alias: 'f', type: 'string', choices: ['text', 'json'], default: 'text' })
        .option('max-pages', { type: 'number', default: 50, describe: 'Pages of 200 events to read at most' }),
      wrap(async (a) => (await import('./commands/audit.js')).runAudit(a as never, io)))
    .demandCommand(1, 'Say what to scan: segscan dir, git, staged or stdin')
    .strict()
    .version(toolVersion())
    .alias('version', 'V')
    .help()
    .alias('help', 'h')
    .wrap(Math.min(110, process.stdout.columns || 100))
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      if (error) throw error;
      // yargs has reset its options to the failing command's: those are the ones to suggest.
      throw new UsageError(usageLine(unknownOptionAdvice(message ?? '', argv, parser) ?? message ?? 'invalid command line'));
    });
}

/**
 * yargs renders the whole help text every time a command starts, to show it should the command
 * fail later. segscan never shows help on failure (one line says what is wrong), so that render is
 * ~25 ms of every start-up, a tenth of a pre-commit hook's run, for nothing. It is an internal of
 * yargs: if it is not there (another yargs version), nothing changes but the speed.
 */
function skipHelpCache(parser: Argv): void {
  type Internals = { getInternalMethods?: () => { getUsageInstance?: () => { cacheHelpMessage?: () => void } | undefined } };
  const usage = (parser as unknown as Internals).getInternalMethods?.().getUsageInstance?.();
  if (typeof usage?.cacheHelpMessage === 'function') usage.cacheHelpMessage = () => undefined;
}

/** For yargs' "Unknown argument" message: what to type instead, for each name (see flagSuggestions.ts). */
function unknownOptionAdvice(message: string, argv: readonly string[], parser: Argv): string | undefined {
  const names = unknownOptionNames(message);
  if (!names) return undefined;
  type Internals = { getOptions?: () => { key?: Record<string, unknown> }; getInternalMethods?: () => { getCommandInstance?: () => { getCommands?: () => string[] } } };
  const internals = parser as unknown as Internals;
  const known = Object.keys(internals.getOptions?.().key ?? {}).filter((key) => !/[A-Z]/.test(key));
  const commands = internals.getInternalMethods?.().getCommandInstance?.().getCommands?.() ?? [];
  const advice = names.map((name) => suggestionFor(name, argv, known, commands));
  // After a mistyped command the other words are its arguments: only the first bare word counts.
  const firstWord = advice.findIndex((line) => line.startsWith('unknown argument'));
  return advice.filter((line, i) => i === firstWord || !line.startsWith('unknown argument')).join('; ');
}

/**
 * yargs' message as one line, without echoing what was typed: a key pasted into the wrong place
 * (`--kind <key>`, a stray argument) must not land in a CI log.
 */
function usageLine(message: string): string {
  const oneLine = message.replace(/\s*\n\s*/g, ' ').replace(/,?\s*Given: "[^"]*"/g, '');
  return redactLikelySecrets(oneLine);
}

/** Run segscan with these arguments; the only side effects are those of the command itself. */
export async function run(argv: string[], io: CommandIO): Promise<CommandResult> {
  let result: CommandResult | undefined;
  try {
    argv = normaliseRedactArguments(argv);
    let helpText = '';
    await buildParser(argv, io, (r) => (result = r)).parseAsync(argv, {}, (_err: unknown, _parsed: unknown, output: string) => {
      helpText = output;
    });
    return result ?? { exitCode: EXIT.clean, stdout: helpText ? `${helpText}\n` : '', stderr: '' };
  } catch (error) {
    return errorResult(error);
  }
}

// Messages can name paths and refs from the scanned content: `visible` keeps each to one line
// with no control character in it.
function errorResult(error: unknown): CommandResult {
  if (error instanceof ScanFailedError) {
    return { exitCode: error.exitCode, stdout: error.output.stdout, stderr: `${error.output.stderr}segscan: error: ${visible(error.message)}\n` };
  }
  if (error instanceof SegscanError) {
    const hint = error instanceof UsageError ? ' (see segscan --help)' : '';
    return { exitCode: error.exitCode, stdout: '', stderr: `segscan: error: ${visible(error.message)}${hint}\n` };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { exitCode: EXIT.error, stdout: '', stderr: `segscan: internal error: ${visible(message.split('\n')[0] ?? '')}; please report it with the command you ran\n` };
}
