// The seams between segscan's parts. Sources yield fragments, the engine turns a fragment into
// findings, verifiers annotate findings, reporters turn a ScanReport into text. Nothing else crosses.

/** 1-based line and column; columns count UTF-16 code units, as SARIF's default `utf16CodeUnits`. */
export interface Position {
  line: number;
  column: number;
}

export interface CommitInfo {
  sha: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 author date. */
  date: string;
  subject: string;
}

export type ScanMode = 'dir' | 'git' | 'staged' | 'stdin';

/** A piece of text to scan: a whole file, a blob, or standard input. */
export interface Fragment {
  text: string;
  /** POSIX path relative to the scan root (or the name given with --path). */
  path: string;
  /** Line number of the first line of `text` in the file it came from (1 for whole files). */
  startLine: number;
  commit?: CommitInfo;
  /** Content identity (a git blob id) for history de-duplication; absent for working-tree files. */
  blob?: string;
  /**
   * When present, only findings starting on these 1-based line ranges (inclusive) are reported.
   * The staged scan uses it to scan a whole staged file (for context) but report only added lines.
   */
  onlyLines?: ReadonlyArray<readonly [number, number]>;
}

export type SkipReason =
  | 'too-large'
  | 'binary'
  | 'unreadable'
  | 'symlink'
  | 'not-regular-file'
  | 'submodule'
  | 'excluded-by-rule-paths'
  /** Left out by a default exclude (an installed node_modules/ in a directory scan). */
  | 'excluded';

export interface SkippedItem {
  path: string;
  reason: SkipReason;
  /** Human-readable detail, never containing file content. */
  detail?: string;
  size?: number;
  commit?: string;
  /** A file skipped as too large that holds Segment keywords (so it could hide a key). */
  holdsKeywords?: boolean;
}

/** Where content came from: a fragment without its text. */
export type FragmentOrigin = Omit<Fragment, 'text'>;

/**
 * What a source yields: a file for the scanner to read, raw bytes to scan (the scanner checks
 * them for keywords before paying for decoding, and reports binary content as skipped),
 * already-decoded text, or a note that something was not scanned.
 */
export type SourceItem =
  | { kind: 'file'; absolutePath: string; origin: FragmentOrigin; maxFileSize: number }
  | { kind: 'content'; content: Uint8Array; origin: FragmentOrigin }
  /**
   * Content the source read and let the engine's first look settle where the bytes arrived (text
   * without any rule keyword): `files` files or blobs, `bytes` in all, scanned with nothing to
   * report. Only counts travel on, so a source holds no bytes nobody will look at again, and a
   * run of such blobs costs the scanner one item instead of one each.
   */
  | { kind: 'clean'; files: number; bytes: number }
  | { kind: 'fragment'; fragment: Fragment; bytes: number }
  /** Content too big to hold whole, read as a stream and scanned in windows (windowedScan.ts). */
  | { kind: 'stream'; origin: FragmentOrigin; size: number; chunks: (signal?: AbortSignal) => AsyncIterable<Uint8Array> }
  | { kind: 'skipped'; item: SkippedItem }
  | { kind: 'warning'; message: string };

export interface Source {
  items(signal?: AbortSignal): AsyncIterable<SourceItem>;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';
export type Confidence = 'high' | 'medium' | 'low';
/** What a rule finds; `generic` is a Segment-named variable whose value could be any kind. */
export type CredentialKind = 'public-api-token' | 'write-key' | 'config-api-token' | 'sg-key' | 'generic';
/** Which verifier checks a rule's findings; `auto` picks one from the secret's shape. */
export type VerifierKind = Exclude<CredentialKind, 'generic'> | 'auto' | 'none';

export type VerificationStatus = 'live' | 'invalid' | 'unknown';
export interface Verification {
  status: VerificationStatus;
  reason: string;
  /** Non-secret details, e.g. a workspace slug. */
  details?: Record<string, string>;
  /** What a live credential's holder can reach (src/blastRadius/); never holds a secret. */
  blastRadius?: BlastRadius;
}

/** One kind of thing a live credential reaches: its destinations, or what a token can list. */
export interface ReachArea {
  area: 'destinations' | 'sources' | 'warehouses' | 'users' | 'groups' | 'roles';
  /** listed: the answer was read; denied: 401/403; failed: any other failure; skipped: the walk's bound was hit first. */
  access: 'listed' | 'denied' | 'failed' | 'skipped';
  /** How many exist (Segment's total when it gives one, else how many were read). */
  count?: number;
  /** False when pages were left unread (the walk's bound), so `count` is a lower bound. */
  complete?: boolean;
  /** Names (at most a few dozen); user names and emails are never listed. */
  names: string[];
  /** Sources only: the token sees their write keys (it hands over every write key). */
  writeKeysReadable?: boolean;
  /** Why the area was denied, failed or skipped. */
  note?: string;
}

export interface BlastRadius {
  credential: 'write-key' | 'public-api-token';
  workspace?: { id?: string; slug?: string; name?: string; region?: string };
  areas: ReachArea[];
  /** Requests the walk made (tokens), for the bound it keeps. */
  requests?: number;
}

/** The source a known write key belongs to (from `segscan workspace sync`). */
export type SourceKind = 'website' | 'server' | 'mobile' | 'cloud' | 'other';
export interface KnownKeySource {
  workspace: { id: string; slug: string; name: string };
  source: { id: string; slug: string; name: string; enabled: boolean; kind: SourceKind; destinations: number };
}

/**
 * Who asked for something that narrows a scan: the invoker (command line, a policy file outside
 * the scanned tree), the scanned content itself (its .segscan.yaml, segscan:allow comments, its
 * baseline), or segscan's defaults. Reports show every narrowing the scanned tree caused.
 */
export type NarrowingOrigin = 'invoker' | 'scanned-tree' | 'default';

/** A setting that kept files, blobs or rules out of a scan, and how much it kept out. */
export interface Narrowing {
  origin: NarrowingOrigin;
  /** The setting, as documented: `exclude`, `include`, `rules.disable`, `maxFileSize`, `node_modules`. */
  setting: string;
  /** Its value, as it can be shown (a glob, a rule id, a size). */
  value: string;
  /** Where it was set: a config file's name, `--exclude`, `default`. */
  source: string;
  /** Files or blobs it kept out of the scan, when counted. */
  count?: number;
}

/** Why a finding is not counted: SARIF's suppression kinds, and what asked for it. */
export interface Suppression {
  kind: 'inSource' | 'external';
  by: 'inline-ignore' | 'allowlist' | 'baseline';
  origin: NarrowingOrigin;
  justification: string;
}

export interface Finding {
  ruleId: string;
  path: string;
  start: Position;
  end: Position;
  /** The raw secret. Reporters must redact it unless told otherwise. */
  secret: string;
  /** SHA-256 of the secret, hex. Safe to print and to store. */
  secretHash: string;
  confidence: Confidence;
  /** Which signals produced the finding and its confidence (e.g. "file-location:.env"). */
  signals: string[];
  /** Stable id from rule, secret hash and path; survives edits above the line. */
  fingerprint: string;
  commit?: CommitInfo;
  verification?: Verification;
  /** Set on a finding that matched but is not counted (segscan:allow, an allowlist, a baseline). */
  suppression?: Suppression;
  /** The same secret occurs this many more times in this file or blob beyond the ones reported. */
  moreOccurrences?: number;
  /** The workspace source this secret is a write key of (--known-keys). */
  knownKey?: KnownKeySource;
  /**
   * What the secret is, when its shape says more than the rule's kind: a Segment-named variable
   * (kind generic) holding 32 letters and digits is a write key, one holding `sgp_…` a token.
   */
  kind?: CredentialKind;
  /** Overrides the rule's severity (a known key's severity comes from its source's kind). */
  severity?: Severity;
}

/** The parts of a rule that reporters need (no compiled regexes). */
export interface RuleInfo {
  id: string;
  title: string;
  description: string;
  message: string;
  kind: CredentialKind;
  severity: Severity;
  securitySeverity: number;
  confidence: Confidence;
  verify: VerifierKind;
  references: string[];
  remediation: string;
  tags: string[];
  /** Where the rule file came from (for error messages and `rules list`). */
  file: string;
}

export interface ScanStats {
  filesScanned: number;
  bytesScanned: number;
  skipped: number;
  durationMs: number;
  commitsScanned?: number;
  blobsScanned?: number;
}

export interface ScanReport {
  tool: { name: 'segscan'; version: string };
  mode: ScanMode;
  /** Absolute path of the scan root (directory or repository). */
  root: string;
  /** Repository facts for git and staged scans. */
  repository?: { root: string; head?: string; branch?: string; shallow?: boolean; remoteUrl?: string };
  findings: Finding[];
  /** Rules that produced at least one finding, and any other rule a reporter should know. */
  rules: RuleInfo[];
  skipped: SkippedItem[];
  warnings: string[];
  stats: ScanStats;
  /** True when the scan was interrupted or failed part way; findings so far are still reported. */
  incomplete: boolean;
  incompleteReason?: string;
  /** Baseline entries that matched nothing in this scan. */
  staleBaseline?: string[];
  /** Findings that matched but were suppressed; they never set the exit code. */
  suppressed?: Finding[];
  /** Settings that narrowed the scan, with what they kept out. */
  narrowing?: Narrowing[];
}

export interface ReportOptions {
  redact: boolean;
  /** `--redact=N`: hide N% of each secret (never less than the default hides). */
  redactPercent?: number;
  color: boolean;
}

export type Reporter = (report: ScanReport, options: ReportOptions) => string;
