// Output is data, never control. File names, commit subjects, branch names and verifier answers
// come from the scanned content or a server; written raw, they could move the terminal's cursor,
// hide the rest of a report (ESC[8m), set a window title, or start a GitHub Actions workflow
// command (`::add-mask::`, `::stop-commands::`, a line break then `::error …`, or `##[…]`
// anywhere in a line). Every human-readable value passes `visible`; every finished report passes
// `neutraliseCommands`, which no line of segscan's own making ever needs.

/** Characters a terminal or a log viewer acts on: C0 controls, DEL, C1 controls, line and paragraph separators, bidirectional overrides. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const NAMED: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeControl(c: string): string {
  const code = c.charCodeAt(0);
  return NAMED[c] ?? (code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`);
}

/** A value as it can be shown in one line of text: every control character written as an escape, `##[` broken. */
export function visible(text: string): string {
  return text.replace(CONTROL, escapeControl).replace(/##\[/g, '##\\x5b');
}

/**
 * The last pass over a human-readable report: no line may start a workflow command (GitHub's
 * runner reads `::` after leading whitespace) or hold `##[`. `allowed` marks the lines that are
 * segscan's own workflow commands (the `github` format's annotations).
 */
export function neutraliseCommands(output: string, allowed: (line: string) => boolean = () => false): string {
  return output
    .split('\n')
    .map((line) => {
      const safe = line.replace(/##\[/g, '##\\x5b');
      return /^\s*::/.test(safe) && !allowed(safe) ? safe.replace('::', '\\x3a:') : safe;
    })
    .join('\n');
}

/**
 * The same for JSON text (JSON and SARIF): JSON strings may carry DEL, C1 controls and `##[` raw;
 * they are written as `\u` escapes instead, which parse back to the same strings.
 */
export function escapeJsonText(json: string): string {
  return json.replace(/[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).replace(/##\[/g, '##\\u005b');
}
