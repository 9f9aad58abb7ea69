// Typed errors thrown where they arise and caught once in cli.ts, printed as one line, exit 2.
// Messages must never contain a secret.

export const EXIT = {
  clean: 0,
  findings: 1,
  error: 2,
  /** verify-key: the check could not decide. */
  unknown: 3,
  sigint: 130,
  sigterm: 143,
} as const;

export class SegscanError extends Error {
  readonly exitCode: number = EXIT.error;
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** A rule file is malformed or a pattern does not compile. */
export class RuleError extends SegscanError {}
/** A configuration or baseline file is malformed. */
export class ConfigError extends SegscanError {}
/** The command line asks for something impossible. */
export class UsageError extends SegscanError {}
/** A path, repository or tool the scan needs is missing or broken. */
export class InputError extends SegscanError {}
/** git knows no object by this name (a --branch, a side of a --range). */
export class UnknownRevisionError extends InputError {
  constructor(
    readonly revision: string,
    readonly repository: string,
  ) {
    super(`unknown revision '${revision}' in ${repository}`);
  }
}
/** Writing a report failed. */
export class OutputError extends SegscanError {}
/** Segment's Public API refused or failed a request a command cannot do without. */
export class SegmentApiError extends SegscanError {}

/** A scan that failed part way; `output` holds the report of what was found before the failure. */
export class ScanFailedError extends SegscanError {
  constructor(
    readonly failure: SegscanError,
    readonly output: { stdout: string; stderr: string },
  ) {
    super(failure.message);
  }
}
