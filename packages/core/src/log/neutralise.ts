/**
 * Text we did not write (commit messages, branch names, PR titles, tool stderr)
 * must never be read by the runner as a workflow command. The runner treats a
 * line whose trimmed start is `::` as a command, and `##[` anywhere as the
 * legacy form; it splits lines on \n and \r, and other tools render U+2028/2029
 * and U+0085 as line breaks. We break every such marker with a zero-width joiner
 * that keeps the text readable, and render line breaks and control characters
 * visibly so one value can never become several log lines.
 */

const ZWJ = '\u2060'; // WORD JOINER: invisible, not whitespace, so trimming cannot remove it
const LINE_BREAKS = /\r\n|[\n\r\u2028\u2029\u0085\v\f]/g;
// C0 and C1 controls except tab; includes ESC so no terminal escape sequence passes.
const CONTROLS = /[\u0000-\u0008\u000e-\u001f\u007f-\u0084\u0086-\u009f]/g; // eslint-disable-line no-control-regex

function defuseLine(line: string): string {
  let out = line.replace(CONTROLS, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  out = out.replace(/##\[/g, `#${ZWJ}#[`);
  // Every `::` loses its command meaning; cheaper than reasoning about trimming rules.
  out = out.replace(/::/g, `:${ZWJ}:`);
  return out;
}

/** One value as one harmless log line: line breaks shown as ⏎. */
export function neutraliseLine(text: string): string {
  return defuseLine(String(text).replace(LINE_BREAKS, ' ⏎ '));
}

/** Multi-line text kept multi-line (on \n), each line harmless. */
export function neutraliseLines(text: string): string {
  return String(text)
    .split(LINE_BREAKS)
    .map(defuseLine)
    .join('\n');
}
