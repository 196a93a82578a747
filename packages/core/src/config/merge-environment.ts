import { childPath } from '../schema/value-path.js';
import type { ArgocdValues, GitopsConfigValues, GitopsTargetValues, RenderOptionValues, SlackValues } from './gitops-config-description.js';

/** A values file line and the path in gitops.yaml it was written at, for messages about it. */
export interface ValuesFileEntry {
  line: string;
  path: string;
}

/** One environment with the top level's settings underneath it. */
export interface MergedEnvironment {
  name: string;
  chart: string | undefined;
  values: ValuesFileEntry[];
  set: Record<string, string>;
  namespace: string | undefined;
  render: RenderOptionValues;
  gitops: GitopsTargetValues;
  slack: SlackValues;
  /** Undefined unless the top level or the environment has `argocd`. */
  argocd: ArgocdValues | undefined;
  /** Where the environment's `argocd` (or else the top level's) was written. */
  argocdPath: string;
  deployOn: string[];
  promoteFrom: string | undefined;
}

/**
 * The rules, one per kind of key, as the reference states them: values
 * files add up (the top level's first, as render layers them), `set` entries
 * merge with the environment's winning, `chart` and `namespace` are replaced,
 * and the option groups (`render`, `gitops`, `notify.slack`, `argocd`) merge
 * key by key.
 */
export function mergeEnvironment(config: GitopsConfigValues, name: string): MergedEnvironment | undefined {
  const env = config.environments[name];
  if (!env) return undefined;
  const at = environmentPath(name);
  const lines = (list: readonly string[] | undefined, path: string) => (list ?? []).map((line, i) => ({ line, path: childPath(path, i) }));
  const hasArgocd = config.argocd !== undefined || env.argocd !== undefined;
  return {
    name,
    chart: env.chart ?? config.chart,
    values: [...lines(config.values, 'values'), ...lines(env.values, childPath(at, 'values'))],
    set: { ...config.set, ...env.set },
    namespace: env.namespace ?? config.namespace,
    render: { ...config.render, ...env.render },
    gitops: { ...config.gitops, ...env.gitops },
    slack: { ...config.notify?.slack, ...env.notify?.slack },
    argocd: hasArgocd ? { ...config.argocd, ...env.argocd } : undefined,
    argocdPath: env.argocd !== undefined ? childPath(at, 'argocd') : 'argocd',
    deployOn: [...(env['deploy-on'] ?? [])],
    promoteFrom: env['promote-from'],
  };
}

/** `environments.staging`, as problems name it. */
export function environmentPath(name: string): string {
  return childPath('environments', name);
}
