export type MatrixLeg = Record<string, unknown>;

/** A matrix that gives no legs, or is not shaped like one: the job fails, as on GitHub. */
export class MatrixError extends Error {
  override name = 'MatrixError';
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Expands `strategy.matrix` as GitHub documents it: the product of the axes in key order,
 * minus the `exclude` entries that match, then each `include` entry merged into every leg
 * whose original values it does not contradict, or added as a leg of its own when it fits none.
 */
export function expandMatrix(matrix: unknown): MatrixLeg[] {
  if (matrix === null || typeof matrix !== 'object' || Array.isArray(matrix)) {
    throw new MatrixError(`strategy.matrix must be a mapping (got ${JSON.stringify(matrix)})`);
  }
  const { include = [], exclude = [], ...axes } = matrix as Record<string, unknown>;
  if (!Array.isArray(include) || !Array.isArray(exclude)) throw new MatrixError('strategy.matrix include and exclude must be sequences');

  let legs: MatrixLeg[] = [];
  const names = Object.keys(axes);
  if (names.length) {
    legs = [{}];
    for (const name of names) {
      const values = axes[name];
      if (!Array.isArray(values) || values.length === 0) throw new MatrixError(`strategy.matrix.${name} must be a non-empty sequence`);
      legs = legs.flatMap((leg) => values.map((value) => ({ ...leg, [name]: value })));
    }
  }
  legs = legs.filter((leg) => !exclude.some((rule: Record<string, unknown>) => Object.entries(rule).every(([k, v]) => same(leg[k], v))));

  const originals = legs.map((leg) => ({ ...leg }));
  const added: MatrixLeg[] = [];
  for (const entry of include as MatrixLeg[]) {
    let fitted = false;
    legs.forEach((leg, i) => {
      const original = originals[i]!;
      const contradicts = Object.entries(entry).some(([k, v]) => k in original && !same(original[k], v));
      if (!contradicts) {
        Object.assign(leg, entry);
        fitted = true;
      }
    });
    if (!fitted) added.push({ ...entry });
  }
  const all = [...legs, ...added];
  if (all.length === 0) throw new MatrixError('strategy.matrix gives no job to run');
  return all;
}

/** `build (20, linux)`: the name GitHub shows for a matrix leg. */
export function legName(job: string, leg: MatrixLeg | undefined): string {
  if (!leg) return job;
  const values = Object.values(leg).map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)));
  return values.length ? `${job} (${values.join(', ')})` : job;
}
