#!/usr/bin/env node
// The only file that touches process: argv, stdio, signals and the exit code.
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
});

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve) => (text ? stream.write(text, () => resolve()) : resolve()));
}
await write(process.stdout, result.stdout);
await write(process.stderr, result.stderr);
process.exitCode = interruptedBy ? (interruptedBy === 'SIGINT' ? EXIT.sigint : EXIT.sigterm) : result.exitCode;
