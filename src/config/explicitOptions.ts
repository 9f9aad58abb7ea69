// Which options the user typed. A config file fills in only the options left at their defaults,
// so yargs' own record of defaulted keys is kept here, keyed by the parsed arguments object.

const defaultedByArgs = new WeakMap<object, ReadonlySet<string>>();

/** yargs middleware: remember which keys got their default value (yargs' `parsed.defaulted`). */
export function recordDefaultedOptions(args: object, parsed: unknown): void {
  const defaulted = (parsed as { defaulted?: Record<string, boolean> } | false | undefined) || undefined;
  defaultedByArgs.set(args, new Set(Object.keys(defaulted?.defaulted ?? {})));
}

const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/**
 * Was `--<flag>` given on the command line? Options without a default count as given when they
 * have a value. Arguments that did not come through yargs count as given, so a config never
 * overrides values a caller set in code.
 */
export function optionGiven(args: object, flag: string, value: unknown): boolean {
  const defaulted = defaultedByArgs.get(args);
  if (value === undefined) return false;
  if (!defaulted) return true;
  return !defaulted.has(kebab(flag)) && !defaulted.has(flag);
}

/** A copy of parsed arguments (e.g. with one option changed) keeps the record of what was typed. */
export function withDefaultedOptionsOf<T extends object>(original: object, copy: T): T {
  const defaulted = defaultedByArgs.get(original);
  if (defaulted) defaultedByArgs.set(copy, defaulted);
  return copy;
}
