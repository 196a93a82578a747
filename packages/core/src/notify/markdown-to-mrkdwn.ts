import { escapeMrkdwn, mrkdwnLink } from './mrkdwn.js';

/**
 * Changelogs arrive as GitHub markdown (the version action writes `### Features`,
 * `- **api:** subject`, backslash escapes). Slack's mrkdwn differs: one `*`
 * for bold, no headings, no backslash escapes. This turns the common
 * constructs into their mrkdwn look and escapes everything else, so the
 * result is safe to place in a section as it is. One output line per input line.
 */

const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/;
const MARKDOWN_LINK = /^\[([^\]\n]{0,500})\]\((https?:\/\/[^\s()<>]{1,2000})\)/;

export function markdownToMrkdwn(markdown: string): string[] {
  return markdown.split(/\r?\n/).map(convertLine);
}

function convertLine(line: string): string {
  const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
  if (heading) {
    const text = convertInline(heading[1]!);
    return text ? `*${text}*` : '';
  }
  const bullet = /^(\s*)[-*+]\s+(.*)$/.exec(line);
  if (bullet) return `${bullet[1]!}• ${convertInline(bullet[2]!)}`;
  return convertInline(line);
}

function convertInline(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && ASCII_PUNCTUATION.test(text[i + 1]!)) {
      out += escapeMrkdwn(text[i + 1]!);
      i += 2;
    } else if ((c === '*' || c === '_') && text[i + 1] === c) {
      out += '*';
      i += 2;
    } else if (c === '[') {
      const link = MARKDOWN_LINK.exec(text.slice(i));
      if (link) {
        out += mrkdwnLink(link[2]!, unescapeMarkdown(link[1]!));
        i += link[0].length;
      } else {
        out += c;
        i++;
      }
    } else {
      out += escapeMrkdwn(c);
      i++;
    }
  }
  return out;
}

function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1').replace(/\*\*|__/g, '');
}
