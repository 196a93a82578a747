import type { ArgocdSettings } from '../config/environment-settings.js';
import { dumpYaml } from '../yaml/dump-yaml.js';

/** Where the Application's desired state lives: the GitOps repository, branch and directory the commit step writes. */
export interface ApplicationSource {
  /** The repository as git reaches it (the commit step's resolved URL), so Argo CD's repository credentials match it. */
  repoURL: string;
  /** The branch the desired state is for (the pull request's base in pull-request mode). */
  targetRevision: string;
  /** `<app>--<environment>`, the directory the commit step writes. */
  path: string;
}

/** The Application as plain data, ready for dumpYaml. */
export interface ArgocdApplication {
  apiVersion: 'argoproj.io/v1alpha1';
  kind: 'Application';
  metadata: { name: string };
  spec: {
    project: string;
    source: ApplicationSource;
    destination: ({ server: string } | { name: string }) & { namespace?: string };
    syncPolicy?: {
      automated?: { prune: boolean; selfHeal: boolean };
      syncOptions?: string[];
    };
  };
}

/**
 * The Argo CD Application that makes a new app appear in Argo CD: it points
 * at the app's directory in the GitOps repository and deploys it to the
 * environment's cluster.
 *
 * - No `metadata.namespace`: the app-of-apps that picks these files up
 *   applies them in Argo CD's own namespace, whatever that is called on a
 *   given cluster (`argocd`, `openshift-gitops`, …).
 * - `automated` syncs with prune and self-heal: the directory is the whole
 *   desired state, so what leaves it leaves the cluster and drift is undone.
 * - `CreateNamespace=true` whenever the destination has a namespace: a new
 *   app's namespace usually does not exist yet, and the first sync would
 *   fail on it otherwise.
 */
export function argocdApplication(settings: ArgocdSettings, source: ApplicationSource): ArgocdApplication {
  const destination = settings.namespace ? { ...settings.destination, namespace: settings.namespace } : { ...settings.destination };
  const syncPolicy: NonNullable<ArgocdApplication['spec']['syncPolicy']> = {
    ...(settings.syncPolicy === 'automated' ? { automated: { prune: true, selfHeal: true } } : {}),
    ...(settings.namespace ? { syncOptions: ['CreateNamespace=true'] } : {}),
  };
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: settings.name },
    spec: {
      project: settings.project,
      source: { repoURL: source.repoURL, targetRevision: source.targetRevision, path: source.path },
      destination,
      ...(Object.keys(syncPolicy).length > 0 ? { syncPolicy } : {}),
    },
  };
}

/** The manifest's text: deterministic YAML (sorted keys), so the same settings always give the same bytes. */
export function argocdApplicationYaml(settings: ArgocdSettings, source: ApplicationSource): string {
  return dumpYaml(argocdApplication(settings, source));
}
