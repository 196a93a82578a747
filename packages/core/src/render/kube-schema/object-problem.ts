/** One thing the API server would refuse in an object, at a JSON path like `spec.template.spec.containers[0].ports[0].containerPort`. */
export interface ObjectProblem {
  /** '' for the object itself (its apiVersion and kind). */
  readonly path: string;
  readonly message: string;
}

/** `Deployment verity-api: spec.replicas: expected integer, got string '3'`, for the log and the job summary. */
export function formatObjectProblem(object: { kind?: unknown; metadata?: { name?: unknown } }, problem: ObjectProblem): string {
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const name = typeof object.metadata?.name === 'string' ? ` ${object.metadata.name}` : '';
  return `${kind}${name}: ${problem.path ? `${problem.path}: ` : ''}${problem.message}`;
}
