/** At most this many problems are listed in one message; the rest are counted. A longer list helps nobody find the first. */
const MAX_LISTED = 50;

/** The lines of a list of problems, one each, the first 50 and then `… and N more`; `bullet` starts every line. */
export function listProblems(lines: readonly string[], bullet = '- '): string {
  const listed = lines.slice(0, MAX_LISTED).map((line) => `${bullet}${line}`);
  if (lines.length > MAX_LISTED) listed.push(`${bullet}… and ${lines.length - MAX_LISTED} more`);
  return listed.join('\n');
}
