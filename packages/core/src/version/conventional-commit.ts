/** A commit as the versioning reads it. */
export interface Commit {
  sha: string;
  shortSha: string;
  parents: string[];
  message: string;
}

export interface ConventionalCommit {
  /** Lower-cased type (`feat`, `fix`, …); '' when the header is not conventional. */
  type: string;
  scope: string;
  breaking: boolean;
  /** The header's description, or the whole first line when not conventional. */
  subject: string;
}

// type(scope)!: description — per conventionalcommits.org 1.0.0; the type is a noun.
// The s flag: a U+2028 inside a subject is still part of the subject.
const HEADER = /^([A-Za-z][A-Za-z0-9_-]*)(?:\(([^()\r\n]*)\))?(!)?: +(\S.*)$/s;
// Footer tokens that announce a breaking change; the spec wants them upper-case.
const BREAKING_FOOTER = /^BREAKING[ -]CHANGE: *\S/m;

export function parseConventionalCommit(message: string): ConventionalCommit {
  const [header = '', ...rest] = message.replace(/\r\n?/g, '\n').split('\n');
  const body = rest.join('\n');
  const match = HEADER.exec(header.trim());
  const breakingFooter = BREAKING_FOOTER.test(body);
  if (!match) return { type: '', scope: '', breaking: breakingFooter, subject: header.trim() };
  const [, type = '', scope = '', bang, subject = ''] = match;
  return { type: type.toLowerCase(), scope: scope.trim(), breaking: bang === '!' || breakingFooter, subject: subject.trim() };
}

export function isMergeCommit(commit: Commit): boolean {
  return commit.parents.length > 1;
}
