/**
 * Text put into the Markdown of job summaries, pull requests and reports,
 * so that a value (a commit message, a path, an error from a server) can
 * neither format nor break what it is written into.
 */

/** Inline text: no emphasis, code, links, HTML or table breaks. */
export function markdownText(text: string): string {
  return text
    .replace(/\r\n?|\n/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|#~!]/g, '\\$&');
}

/** A table cell: one line, its `|` escaped. */
export function tableCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A fence longer than any run of backticks in the text, so the text cannot close it. */
export function fenceFor(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return '`'.repeat(longest + 1);
}

/** Inline code that survives backticks in the value. */
export function inlineCode(text: string): string {
  const fence = text.includes('`') ? fenceFor(text).slice(1) : '`';
  return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}

/** A fenced code block no line of the text can close early. */
export function codeBlock(text: string, language = ''): string {
  const fence = fenceFor(text);
  return `${fence}${language}\n${text}\n${fence}`;
}
