// `segscan stdin` with nothing piped in waits for the terminal: it says so, and how to end it.
import { describe, expect, it } from 'vitest';
import { WAITING_FOR_TERMINAL } from '../../src/commands/stdin.js';
import { runCli } from '../helpers/cli.js';

describe('segscan stdin', () => {
  it('says on stderr that it is waiting for input on a terminal, and how to end it', async () => {
    const result = await runCli(['stdin'], { stdinIsTTY: true, stdin: 'nothing here\n' });
    expect(result.exitCode).toBe(0);
    expect(result.stderr).toContain(WAITING_FOR_TERMINAL);
    expect(WAITING_FOR_TERMINAL).toContain('Ctrl-D');
  });

  it('says nothing of the kind when input is piped, or with --quiet', async () => {
    expect((await runCli(['stdin'], { stdin: 'nothing here\n' })).stderr).not.toContain('Ctrl-D');
    expect((await runCli(['stdin', '--quiet'], { stdinIsTTY: true, stdin: '' })).stderr).toBe('');
  });
});
