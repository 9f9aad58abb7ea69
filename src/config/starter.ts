// The commented starter `.segscan.yaml` that `segscan init` writes. Every setting is present,
// commented out at its default, so the file documents itself; a test loads it through the
// validator so it can never drift from the schema.

export const STARTER_CONFIG = `# segscan configuration. segscan uses the nearest .segscan.yaml found by walking up from the
# scanned path to the repository root (or the file given with --config; --no-config ignores it).
# A single value typed on the command line overrides the one here; lists (include, exclude,
# rules.disable, rules.directories) are combined with the command line's.
# Paths below are relative to this file; globs match paths as segscan reports them (relative to
# the scanned directory or repository). A glob without a slash matches the file name anywhere.
version: 1

# Only scan paths matching these globs (default: everything).
# include:
#   - "src/**"

# Never scan these paths. .git/ and node_modules/ are always skipped unless an include names them.
# exclude:
#   - "fixtures/**"

# Files or blobs larger than this are skipped and listed in the report.
# maxFileSize: 10MiB

# Honour "segscan:allow" comments on a line. Set false for a policy scan that trusts no one.
# inlineIgnores: true

rules:
  # Rule ids to turn off (see: segscan rules list).
  disable: []
  # Extra rule directories, relative to this file (see rules/README.md for the format).
  directories: []

allowlist:
  # Fingerprints of findings you have accepted (the "fingerprint" of a finding in a JSON or SARIF
  # report). For many findings, a baseline is easier: segscan baseline dir .
  fingerprints: []
  # Findings in paths matching these globs are never reported (the files are still scanned).
  paths: []

verify:
  # Check each finding with a read-only request to Segment (like --verify).
  enabled: false
  # concurrency: 4
  # timeout: 10          # seconds per request
  # onlyVerified: false  # report only findings verified live
  # failOn: any          # any | live: which findings make the exit code non-zero

output:
  # format: text         # text | json | sarif | github
  # file: segscan.sarif  # write the report here (inside this directory) instead of stdout

# Report only findings not in this baseline (created with: segscan baseline dir . or git).
# baseline: .segscan-baseline.json
`;
