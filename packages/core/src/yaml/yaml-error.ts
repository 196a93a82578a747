import { InputError } from '../errors/errors.js';

/** A place in a YAML text, both 1-based. */
export interface YamlLocation {
  line: number;
  column: number;
}

const EXCERPT_WIDTH = 100;

/**
 * A YAML text the user has to fix. The message says where, the way compilers
 * do (`deploy/values.yaml:12:5: duplicate key 'image'`), and quotes the line
 * with a caret when the place is known. Problems found after parsing (alias
 * expansion, cycles) have no single place and carry only the file.
 */
export class YamlError extends InputError {
  readonly line: number | undefined;
  readonly column: number | undefined;

  constructor(
    readonly file: string,
    readonly reason: string,
    at?: { location: YamlLocation; text: string },
  ) {
    super(YamlError.format(file, reason, at));
    this.line = at?.location.line;
    this.column = at?.location.column;
  }

  private static format(file: string, reason: string, at?: { location: YamlLocation; text: string }): string {
    if (!at) return `${file}: ${reason}`;
    const { line, column } = at.location;
    const excerpt = excerptAt(at.text, at.location);
    return `${file}:${line}:${column}: ${reason}${excerpt ? `\n${excerpt}` : ''}`;
  }
}

/** The 1-based line and column of a 0-based offset (columns count UTF-16 code units, like js-yaml's). */
export function locate(text: string, offset: number): YamlLocation {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < clamped; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: clamped - lineStart + 1 };
}

/**
 * The offending line and a caret under the column. Long lines are cut to a
 * window around the column so a minified 4 MiB line never lands in a log;
 * tabs are shown as → so the caret stays aligned.
 */
export function excerptAt(text: string, { line, column }: YamlLocation): string {
  let start = 0;
  for (let n = 1; n < line; n += 1) {
    const next = text.indexOf('\n', start);
    if (next === -1) return '';
    start = next + 1;
  }
  const end = text.indexOf('\n', start);
  let content = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
  let caret = column - 1;
  if (content.length > EXCERPT_WIDTH) {
    const from = Math.max(0, Math.min(caret - EXCERPT_WIDTH / 2, content.length - EXCERPT_WIDTH));
    const head = from > 0 ? '…' : '';
    const tail = from + EXCERPT_WIDTH < content.length ? '…' : '';
    content = head + content.slice(from, from + EXCERPT_WIDTH) + tail;
    caret = caret - from + head.length;
  }
  content = content.replace(/\t/g, '→');
  const gutter = String(line).padStart(5);
  return `${gutter} | ${content}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, caret))}^`;
}

/** Text from the user inside one of our messages: quoted, on one line, bounded. */
export function quoteForMessage(value: string, max = 60): string {
  const short = value.length > max ? `${value.slice(0, max)}…` : value;
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u001f\u007f-\u009f\u2028\u2029']/.test(short) ? JSON.stringify(short) : `'${short}'`;
}
