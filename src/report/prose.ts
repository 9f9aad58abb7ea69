// Turning rule prose (Markdown, wrapped at ~100 columns) into the short sentences reporters print.

/** Ends the text with exactly one sentence terminator. */
export function sentence(text: string): string {
  const trimmed = text.trim().replace(/[\s.:;,]+$/, '');
  return /[!?]$/.test(trimmed) ? trimmed : `${trimmed}.`;
}

const LIST_ITEM = /^(?:[-*+]|\d+[.)])\s+/;
const MAX_HINT = 200;

/** Paragraphs and list items of a Markdown text, each with its wrapped lines joined. */
function blocks(markdown: string): Array<{ text: string; listItem: boolean }> {
  const out: Array<{ text: string; listItem: boolean }> = [];
  let current: { text: string; listItem: boolean } | undefined;
  for (const raw of markdown.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '') {
      current = undefined;
    } else if (LIST_ITEM.test(line)) {
      current = { text: line.replace(LIST_ITEM, ''), listItem: true };
      out.push(current);
    } else if (current) {
      current.text += ` ${line}`;
    } else {
      current = { text: line, listItem: false };
      out.push(current);
    }
  }
  return out;
}

function withoutEmphasis(text: string): string {
  return text.replace(/\*\*(.+?)\*\*/g, '$1').replace(/(^|[\s(])[*_](\S(?:.*?\S)?)[*_](?=[\s).,;:]|$)/g, '$1$2');
}

function firstSentence(text: string): string {
  return text.split(/(?<=[.!?])\s+(?=[A-Z`(*])/)[0] ?? text;
}

/**
 * One line of advice from a rule's remediation: its first step when it has a list (usually
 * "Revoke …"), else its first sentence. A bold lead such as "**Revoke the token.**" is kept
 * together with the sentence that explains it.
 */
export function remediationHint(remediation: string): string {
  const all = blocks(remediation);
  const block = all.find((b) => b.listItem) ?? all[0];
  if (!block) return '';
  let hint: string;
  const lead = /^\*\*(.+?)\*\*\s*(.*)$/.exec(block.text);
  if (lead && /[.!?:]$/.test(lead[1] ?? '') && lead[2]) hint = `${lead[1]} ${firstSentence(lead[2])}`;
  else hint = firstSentence(block.text);
  hint = withoutEmphasis(hint);
  return hint.length > MAX_HINT ? `${hint.slice(0, MAX_HINT - 1).trimEnd()}…` : hint;
}
