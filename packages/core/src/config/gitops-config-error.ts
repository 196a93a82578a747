import { InputError } from '../errors/errors.js';
import { listProblems } from '../errors/problem-list.js';
import { excerptAt, type YamlLocation } from '../yaml/yaml-error.js';

/** One thing wrong in gitops.yaml, at a JSON path and, when it was written somewhere, a place in the file. */
export interface ConfigProblem {
  path: string;
  message: string;
  location?: YamlLocation;
  /** The line holds a secret (a token, a webhook URL, credentials in a URL): the message does not quote it. */
  sensitive?: boolean;
}

/**
 * Every problem with gitops.yaml at once, each where a compiler would put it
 * (`gitops.yaml:12:5: environments.production.gitops.mode: …`), so a team
 * fixes the file in one round and an editor or problem matcher can jump to
 * each line. A single problem also quotes its line with a caret, unless
 * that line holds a secret.
 */
export class GitopsConfigError extends InputError {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
    text?: string,
  ) {
    super(GitopsConfigError.format(file, problems, text));
  }

  private static format(file: string, problems: readonly ConfigProblem[], text: string | undefined): string {
    const line = (p: ConfigProblem) => {
      const where = p.location ? `${file}:${p.location.line}:${p.location.column}` : file;
      return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
    };
    if (problems.length === 1) {
      const only = problems[0]!;
      const excerpt = only.location && text !== undefined && !only.sensitive ? excerptAt(text, only.location) : '';
      return excerpt ? `${line(only)}\n${excerpt}` : line(only);
    }
    return `${file} has ${problems.length} problems:\n${listProblems(problems.map(line), '')}`;
  }
}
