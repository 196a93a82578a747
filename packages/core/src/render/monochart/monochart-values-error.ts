import { InputError } from '../../errors/errors.js';
import { listProblems } from '../../errors/problem-list.js';
import type { ValueProblem } from '../../schema/check-values.js';

/**
 * Every problem with the values at once, each with its JSON path, so a team
 * fixes its values file in one round. `problems` lets a caller map paths back
 * to the file and line that set them.
 */
export class MonochartValuesError extends InputError {
  constructor(readonly problems: readonly ValueProblem[]) {
    super(MonochartValuesError.format(problems));
  }

  private static format(problems: readonly ValueProblem[]): string {
    const line = (p: ValueProblem) => (p.path ? `${p.path}: ${p.message}` : p.message);
    if (problems.length === 1) return `monochart values: ${line(problems[0]!)}`;
    return `monochart values have ${problems.length} problems:\n${listProblems(problems.map(line))}`;
  }
}
