/**
 * Slack's mrkdwn control characters. Slack reads `&`, `<` and `>` as the start
 * of entities, links and mentions (`<!channel>`, `<@U…>`, `<https://x|label>`),
 * so text we did not write has exactly these three replaced by entities. The
 * rest (`*`, `_`, `~`, backticks) can at worst change emphasis, and Slack has
 * no escape for them that would not show.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A URL as it may stand inside `<url|label>`: normalised by the WHATWG parser
 * (which percent-encodes spaces, `<`, `>` and quotes), with `|` encoded too, so
 * nothing in it can end the link or start another token. Only http(s).
 */
export function linkTarget(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  const href = parsed.href.replace(/\|/g, '%7C').replace(/</g, '%3C').replace(/>/g, '%3E');
  return /\s/.test(href) ? undefined : href;
}

/** `<url|label>` with the label escaped; plain escaped label when the URL is unusable. */
export function mrkdwnLink(url: string, label: string): string {
  const target = linkTarget(url);
  // A label may not contain `>` or `|` raw; escaping handles `>`, and `|` ends the URL part only, so it is harmless here.
  return target ? `<${target}|${escapeMrkdwn(label)}>` : escapeMrkdwn(label);
}

/**
 * Cuts escaped mrkdwn to at most `max` UTF-16 units without splitting an
 * entity (`&amp;`) or a surrogate pair, appending `suffix` when it cut.
 */
export function truncateMrkdwn(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - suffix.length);
  const amp = text.lastIndexOf('&', end);
  if (amp >= 0 && amp > end - 6) {
    const semi = text.indexOf(';', amp);
    if (semi < 0 || semi >= end) end = amp;
  }
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}${suffix}`;
}

/** Plain text (no entities) cut to `max` UTF-16 units without splitting a surrogate pair. */
export function truncatePlain(text: string, max: number, suffix = '…'): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - suffix.length);
  if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end--;
  return `${text.slice(0, end)}${suffix}`;
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
