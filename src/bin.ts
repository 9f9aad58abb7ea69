#!/usr/bin/env node
// The only file that touches process: argv, stdio, signals and the exit code.
import { createRequire } from 'node:module';
import { EXIT } from './errors.js';
import { toolVersion } from './commands/version.js';

const argv = process.argv.slice(2);

// `segscan --version` is what tooling runs to check the install: answer before loading yargs.
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${toolVersion()}\n`);
  process.exit(EXIT.clean);
}
const { run } = await import('./cli.js');

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  // Ctrl-C while waiting on a pipe that never closes (`tail -f log | segscan stdin`): stop reading
  // and scan what arrived; the report is marked incomplete.
  const stop = () => process.stdin.destroy();
  controller.signal.addEventListener('abort', stop, { once: true });
  try {
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  } finally {
    controller.signal.removeEventListener('abort', stop);
  }
  return Buffer.concat(chunks);
}

/**
 * Let functions run longer before V8 spends a background thread on optimizing them (8x Node 20's
 * default budget). A history scan is a second or two of parsing git's output and handing bytes to
 * RE2; most functions that turn hot in that time would be optimized just before the run ends,
 * while the compiler threads take cores from git and the main thread. Measured on the benchmark's
 * 6,000-commit history (2 cores, Node 20): -10% wall time, and -7% on the 2x history; directory
 * scans keep the default because their workers run JavaScript for long enough to profit. Changing
 * this flag at run time only moves when the tiering decision is taken. Only Node 20's V8 (11.x)
 * has this flag (V8 12+ prints an error for it), and on Node 24 raising its successor
 * (--invocation-count-for-turbofan) measured no gain, so newer versions keep their defaults.
 */
function tuneForShortRun(): void {
  if (Number(process.versions.v8.split('.')[0]) > 11) return;
  // node:v8 is loaded only for the scans that use it (~3 ms of every other command's start).
  const { setFlagsFromString } = createRequire(import.meta.url)('node:v8') as typeof import('node:v8');
  setFlagsFromString('--interrupt-budget=1048576');
}

const controller = new AbortController();
let interruptedBy: NodeJS.Signals | undefined;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    // A second signal means "stop now".
    if (interruptedBy) process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm);
    interruptedBy = signal;
    controller.abort();
  });
}

const result = await run(argv, {
  cwd: process.cwd(),
  env: process.env,
  readStdin,
  stdinIsTTY: process.stdin.isTTY === true,
  stdoutIsTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  writeStderr: (text) => process.stderr.write(text),
  ...(process.stderr.isTTY ? { progressStream: process.stderr } : {}),
  signal: controller.signal,
  tuneForShortRun,
});

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (text ? stream.write(text, () => resolve()) : resolve()));
}
await write(process.stdout, result.stdout);
await write(process.stderr, result.stderr);
process.exitCode = interruptedBy ? (interruptedBy === 'SIGINT' ? EXIT.sigint : EXIT.sigterm) : result.exitCode;
