import { parseArgoCdUrl } from '../argocd/argocd-url.js';
import { InputError } from '../errors/errors.js';
import type { ValueProblem } from '../schema/check-values.js';
import { closest } from '../schema/did-you-mean.js';
import { childPath } from '../schema/value-path.js';
import type { ArgocdValues, GitopsConfigValues } from './gitops-config-description.js';
import { environmentPath, mergeEnvironment } from './merge-environment.js';

/**
 * What the JSON Schema cannot say about gitops.yaml: environments that refer
 * to each other, settings that only make sense once an environment is merged
 * with the top level, and two environments fighting over one directory.
 * Runs on a file that passed the structural check.
 */
export function checkConfigSemantics(config: GitopsConfigValues): ValueProblem[] {
  const problems: ValueProblem[] = [];
  const seen = new Set<string>();
  const problem = (path: string, message: string) => {
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) return; // a top-level setting merged into every environment is reported once
    seen.add(key);
    problems.push({ path, message });
  };
  const names = Object.keys(config.environments);
  if (names.length === 0) problem('environments', 'needs at least one environment, e.g. staging');

  for (const name of names) {
    if (name.includes('--')) {
      problem(
        environmentPath(name),
        "an environment name must not contain '--': the GitOps directory <app>--<environment> is read back by splitting at the last '--'",
      );
    }
  }
  checkPromotions(config, names, problem);
  checkRepository(config.gitops?.repository, childPath('gitops', 'repository'), problem);
  checkValuesLines(config.values, 'values', problem);

  const targets = new Map<string, string>();
  for (const name of names) {
    const env = config.environments[name]!;
    const at = environmentPath(name);
    checkRepository(env.gitops?.repository, childPath(childPath(at, 'gitops'), 'repository'), problem);
    checkValuesLines(env.values, childPath(at, 'values'), problem);
    const merged = mergeEnvironment(config, name)!;

    const { repository, branch, path } = merged.gitops;
    // A URL with credentials is reported above, and must not be repeated in another message.
    if (repository && !hasCredentials(repository)) {
      const directory = path ?? `${config.app}--${name}`;
      const target = `${normaliseRepository(repository)}\u0000${branch ?? ''}\u0000${directory}`;
      const other = targets.get(target);
      if (other) {
        problem(
          childPath(at, 'gitops'),
          `writes the same directory as environment '${other}' (${repository}${branch ? `, branch ${branch}` : ''}, path ${directory}): each directory in a GitOps repository belongs to exactly one app and environment`,
        );
      } else targets.set(target, name);
    }

    if (merged.argocd) checkArgocd(merged.argocd, merged.argocdPath, problem);
  }
  return problems;
}

function checkArgocd(argocd: ArgocdValues, at: string, problem: (path: string, message: string) => void): void {
  if (argocd['create-application'] !== false && !argocd.destination) {
    problem(
      at,
      "needs 'destination': the cluster's API server URL (e.g. https://kubernetes.default.svc) or its name in Argo CD " +
        '(or create-application: false when something else creates the Application)',
    );
  }
  if (argocd.url !== undefined) {
    // The wait step's own check, so a file that passes here does not fail there.
    try {
      parseArgoCdUrl(argocd.url, argocd.insecure === true, 'url');
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problem(childPath(at, 'url'), e.message.replace(/^input 'url' /, '').replace("pass the token as 'argocd-token'", "give the token to the action's 'argocd-token' input from a secret"));
    }
  }
}

function checkPromotions(config: GitopsConfigValues, names: readonly string[], problem: (path: string, message: string) => void): void {
  const known = `environments: ${names.join(', ')}`;
  const edges = new Map<string, string>();
  for (const name of names) {
    const from = config.environments[name]!['promote-from'];
    if (from === undefined) continue;
    const at = childPath(environmentPath(name), 'promote-from');
    if (from === name) problem(at, 'an environment cannot promote from itself');
    else if (!config.environments[from]) {
      const guess = closest(from, names);
      problem(at, `no environment is called '${from}'${guess ? `, did you mean '${guess}'?` : ''} (${known})`);
    } else edges.set(name, from);
  }
  // Each environment promotes from at most one other: following the edges from any start either ends or runs into a cycle.
  const reported = new Set<string>();
  for (const start of names) {
    const chain: string[] = [];
    let at: string | undefined = start;
    while (at !== undefined && !chain.includes(at)) {
      chain.push(at);
      at = edges.get(at);
    }
    if (at === undefined) continue;
    const cycle = chain.slice(chain.indexOf(at));
    const first = [...cycle].sort()[0]!;
    if (reported.has(first)) continue;
    reported.add(first);
    // Start the cycle at its alphabetically first member, so each cycle is reported once, the same way.
    const ordered = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first];
    const [head, ...rest] = ordered;
    problem(
      childPath(environmentPath(first), 'promote-from'),
      `promotions go round in a circle: ${head} promotes from ${rest.join(', which promotes from ')}; one of them must get its image from a build instead`,
    );
  }
}

function checkRepository(repository: string | undefined, at: string, problem: (path: string, message: string) => void): void {
  if (repository && hasCredentials(repository)) {
    problem(
      at,
      "must not carry credentials: they would end up in .git/config and in logs; give the token to the action's 'token' input from a secret",
    );
  }
}

function checkValuesLines(lines: readonly string[] | undefined, at: string, problem: (path: string, message: string) => void): void {
  (lines ?? []).forEach((line, i) => {
    const other = /\$\{(?!environment\})[^}]*\}?/.exec(line);
    if (other) problem(childPath(at, i), `only \${environment} is replaced in a values file name (got '${other[0]}')`);
  });
}

/** Forms of one repository that git would treat as the same: `acme/x`, `acme/x.git`, any case for GitHub names. */
function normaliseRepository(repository: string): string {
  return repository.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}

function hasCredentials(repository: string): boolean {
  return /^https?:\/\/[^/]*@/i.test(repository);
}
