import type { ConversionReport } from './conversion-report.js';
import type { Field } from './source-field.js';

/**
 * Where each ECS container goes in the pod:
 * - main: the first of `containers` (Service ports, `kubectl logs`);
 * - container: a further container, started alongside;
 * - init: an init container that runs to completion before the others
 *   (what a dependsOn COMPLETE or SUCCESS waits for);
 * - sidecar: a native sidecar (an init container with restartPolicy: Always,
 *   Kubernetes 1.29+) that starts, and passes its startup probe, before the
 *   containers after it (what a dependsOn START or HEALTHY waits for).
 */
export type ContainerRole = 'main' | 'container' | 'init' | 'sidecar';

export interface EcsContainer {
  field: Field;
  /** The name in ECS, which dependsOn, volumesFrom and load balancers use. */
  ecsName: string;
  /** The Kubernetes name. */
  name: string;
  essential: boolean;
}

export interface Placement {
  role: ContainerRole;
  /** The values path of the container: `containers[0]`, `initContainers[1]`. */
  to: string;
}

const RUN_TO_COMPLETION = ['COMPLETE', 'SUCCESS'];
const CONDITIONS = ['START', 'COMPLETE', 'SUCCESS', 'HEALTHY'];

/**
 * Roles and order for every container. The main container is the one the
 * load balancer sends to, else the first essential one. dependsOn decides
 * which containers must start first; init containers and sidecars are
 * ordered so each comes after what it depends on.
 */
export function placeContainers(
  containers: readonly EcsContainer[],
  mainHint: string | undefined,
  report: ConversionReport,
  leftOut: ReadonlyMap<string, string> = new Map(),
): Map<string, Placement> {
  // Not what another container waits for (that is a sidecar or an init step), and preferably listening.
  const waitedFor = new Set(containers.flatMap((c) => c.field.child('dependsOn').items().map((d) => d.child('containerName').string())));
  const candidates = containers.filter((c) => c.essential && !waitedFor.has(c.ecsName));
  const main =
    containers.find((c) => c.ecsName === mainHint) ??
    candidates.find((c) => c.field.child('portMappings').items().length > 0) ??
    candidates[0] ??
    containers.find((c) => c.essential) ??
    containers[0]!;
  const roles = new Map<string, ContainerRole>(containers.map((c) => [c.ecsName, c === main ? 'main' : 'container']));
  const deps = new Map<string, string[]>();

  // First pass: what each depended-on container must become.
  for (const c of containers) {
    for (const dep of c.field.child('dependsOn').items()) {
      const target = dep.child('containerName').string();
      const condition = dep.child('condition').string()?.toUpperCase();
      if (!target || !containers.some((o) => o.ecsName === target) || !condition || !CONDITIONS.includes(condition)) continue;
      deps.set(c.ecsName, [...(deps.get(c.ecsName) ?? []), target]);
      if (target === main.ecsName) continue;
      const wanted: ContainerRole = RUN_TO_COMPLETION.includes(condition) ? 'init' : 'sidecar';
      if (roles.get(target) !== 'init') roles.set(target, wanted);
    }
  }

  // Second pass: report each dependency against the roles decided.
  for (const c of containers) {
    c.field.child('dependsOn').items().forEach((dep) => {
      const target = dep.child('containerName').string();
      const condition = dep.child('condition').string()?.toUpperCase();
      const other = containers.find((o) => o.ecsName === target);
      if (!other) {
        const why = target !== undefined ? leftOut.get(target) : undefined;
        if (why) report.converted(dep, [], `'${target}' was left out (${why}), and the dependency with it`);
        else report.unsupported(dep, `no container is called '${target ?? ''}'; the dependency was dropped`);
        return;
      }
      if (!condition || !CONDITIONS.includes(condition)) {
        report.unsupported(dep.child('condition'), `condition must be one of ${CONDITIONS.join(', ')}; the dependency was dropped`);
        report.converted(dep.child('containerName'), [], 'see condition');
        return;
      }
      const targetRole = roles.get(other.ecsName)!;
      const ownRole = roles.get(c.ecsName)!;
      if (targetRole === 'main' || (targetRole === 'container' && ownRole !== 'main')) {
        report.approximated(dep, [], `Kubernetes starts the regular containers of a pod together, in no order: '${c.name}' may start before '${other.name}' is ${condition === 'HEALTHY' ? 'healthy' : 'up'}; make it retry until '${other.name}' answers`);
        return;
      }
      if (targetRole === 'init') {
        const how = condition === 'COMPLETE'
          ? `'${other.name}' became an init container: it must exit 0 (COMPLETE accepted any exit code; a failing init container is retried and the pod waits)`
          : `'${other.name}' became an init container: it runs to success before '${c.name}' starts`;
        if (condition === 'COMPLETE') report.approximated(dep, [], how);
        else if (RUN_TO_COMPLETION.includes(condition)) report.converted(dep, [], how);
        else report.approximated(dep, [], `${how}; another container waits for it to complete, so it cannot also be a long-running sidecar for this one`);
        return;
      }
      if (condition === 'HEALTHY') report.converted(dep, [], `'${other.name}' became a native sidecar whose startup probe (from its healthCheck) must pass before '${c.name}' starts (Kubernetes 1.29+)`);
      else report.approximated(dep, [], `'${other.name}' became a native sidecar that starts before '${c.name}' (Kubernetes 1.29+ waits for its startup probe, if any, not only for its start)`);
    });
  }

  // Init containers and sidecars in an order that honours dependsOn among themselves.
  const early = containers.filter((c) => ['init', 'sidecar'].includes(roles.get(c.ecsName)!));
  const ordered: EcsContainer[] = [];
  const visiting = new Set<string>();
  const visit = (c: EcsContainer) => {
    if (ordered.includes(c) || visiting.has(c.ecsName)) return;
    visiting.add(c.ecsName);
    for (const d of deps.get(c.ecsName) ?? []) {
      const dep = early.find((e) => e.ecsName === d);
      if (dep) visit(dep);
    }
    ordered.push(c);
  };
  early.forEach(visit);

  const placements = new Map<string, Placement>();
  ordered.forEach((c, i) => placements.set(c.ecsName, { role: roles.get(c.ecsName)!, to: `initContainers[${i}]` }));
  placements.set(main.ecsName, { role: 'main', to: 'containers[0]' });
  containers
    .filter((c) => roles.get(c.ecsName) === 'container')
    .forEach((c, i) => placements.set(c.ecsName, { role: 'container', to: `containers[${i + 1}]` }));
  return placements;
}
