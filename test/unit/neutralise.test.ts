import { describe, expect, test } from 'vitest';
import { neutraliseLine, neutraliseLines } from '#core/log/neutralise.js';

/** What the runner would treat as a command: a line whose trimmed start is `::`, or `##[` anywhere. */
function wouldBeCommand(output: string): boolean {
  return output.split(/\r\n|\n|\r/).some((l) => l.trim().startsWith('::') || l.includes('##['));
}

const HOSTILE = [
  '::set-output name=version::9.9.9',
  '   ::add-mask::hunter2',
  '::stop-commands::token',
  'subject\n::error::injected on the next line',
  'subject\r::warning::carriage return',
  'subject\u2028::notice::line separator',
  'subject\u2029::notice::paragraph separator',
  'subject\u0085::notice::next line',
  'subject%0A::error::encoded newline stays literal',
  '##[set-output name=x;]legacy form',
  'prefix ##[error]legacy anywhere',
  '\t::debug::tab-indented',
  '\u001b[31mred\u001b[0m terminal escape',
];

describe('neutraliseLine', () => {
  test.each(HOSTILE)('%j cannot become a workflow command', (text) => {
    const out = neutraliseLine(text);
    expect(wouldBeCommand(out)).toBe(false);
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\n\r\u2028\u2029\u0085\u001b]/);
  });

  test('readable text passes unchanged', () => {
    expect(neutraliseLine('feat(api): add login, see https://x.test/a?b=c')).toBe('feat(api): add login, see https://x.test/a?b=c');
  });

  test('line breaks are shown, not dropped', () => {
    expect(neutraliseLine('a\nb')).toBe('a ⏎ b');
  });

  test('control characters are shown as escapes', () => {
    expect(neutraliseLine('a\u001bb\u0000c')).toBe('a\\x1bb\\x00c');
  });
});

describe('neutraliseLines', () => {
  test('keeps lines but defuses each', () => {
    const out = neutraliseLines('one\n::error::two\r\nthree\u2028::warning::four');
    expect(out.split('\n')).toHaveLength(4);
    expect(wouldBeCommand(out)).toBe(false);
  });
});
