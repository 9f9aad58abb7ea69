// `segscan init [dir] [--force] [--schema]`: write the commented starter .segscan.yaml, or print
// the config file's JSON Schema for editors.
import { existsSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { displayName } from '../config/load.js';
import { CONFIG_SCHEMA } from '../config/schema.js';
import { STARTER_CONFIG } from '../config/starter.js';
import { EXIT, InputError, OutputError, UsageError } from '../errors.js';
import type { CommandIO, CommandResult } from './io.js';

export interface InitArgs {
  dir?: string;
  force: boolean;
  schema: boolean;
}

export function runInit(args: InitArgs, io: CommandIO): Promise<CommandResult> {
  if (args.schema) return Promise.resolve({ exitCode: EXIT.clean, stdout: `${JSON.stringify(CONFIG_SCHEMA, null, 2)}\n`, stderr: '' });
  const dir = resolve(io.cwd, args.dir ?? '.');
  if (!existsSync(dir)) throw new InputError(`directory not found: ${args.dir ?? '.'}; create it first`);
  const target = join(dir, '.segscan.yaml');
  const name = displayName(target, io.cwd);
  if (!args.force && existsSync(target)) throw new UsageError(`${name} already exists; pass --force to replace it`);
  try {
    writeFileSync(target, STARTER_CONFIG, { mode: 0o644 });
  } catch (e) {
    throw new OutputError(`cannot write ${name} (${(e as NodeJS.ErrnoException).code ?? 'error'}); check the directory's permissions`);
  }
  return Promise.resolve({ exitCode: EXIT.clean, stdout: `Wrote ${name}; edit it, then run segscan as usual.\n`, stderr: '' });
}
