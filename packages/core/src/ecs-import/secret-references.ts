import { CONFIG_KEY, matches } from '../schema/k8s-patterns.js';

/**
 * ECS injects secrets by reference (an SSM parameter or a Secrets Manager
 * ARN) and never holds their values; neither do the values this importer
 * writes. Each reference becomes a key of a Kubernetes Secret that External
 * Secrets Operator syncs from the same place, one Secret per store:
 * `<app>-parameter-store` and `<app>-secrets-manager`.
 */
export type SecretStore = 'parameter-store' | 'secrets-manager';

export interface SecretReference {
  store: SecretStore;
  /** The Kubernetes Secret, e.g. verity-api-parameter-store. */
  secretName: string;
  /** The key in it (the variable name the first container gave it). */
  key: string;
  /** ESO remoteRef.key: the parameter name or the secret's ARN without the JSON key and version. */
  remoteKey: string;
  /** ESO remoteRef.property: the JSON key of a Secrets Manager secret. */
  property?: string;
  /** ESO remoteRef.version: a Secrets Manager version stage, or `uuid/<id>`. */
  version?: string;
  region?: string;
  /** valueFrom as written in the task definition. */
  valueFrom: string;
}

export interface ParsedSecretSource {
  store: SecretStore;
  remoteKey: string;
  property?: string;
  version?: string;
  region?: string;
}

/** What a `valueFrom` points at; undefined for something neither store would accept. */
export function parseSecretSource(valueFrom: string): ParsedSecretSource | undefined {
  const arn = /^arn:aws[a-z-]*:(ssm|secretsmanager):([a-z0-9-]*):(\d*):(.+)$/.exec(valueFrom);
  if (!arn) {
    // ECS reads anything that is not an ARN as a parameter name in the task's region.
    return /^[/A-Za-z0-9_.-]+$/.test(valueFrom) ? { store: 'parameter-store', remoteKey: valueFrom } : undefined;
  }
  const [, service, region, , resource] = arn as unknown as [string, string, string, string, string];
  if (service === 'ssm') {
    const name = /^parameter(\/.+)$/.exec(resource)?.[1];
    if (!name) return undefined;
    // `parameter/prod/db/password` is the hierarchical `/prod/db/password`; `parameter/password` the flat `password`.
    const remoteKey = name.slice(1).includes('/') ? name : name.slice(1);
    return { store: 'parameter-store', remoteKey, ...(region ? { region } : {}) };
  }
  const parts = resource.split(':');
  if (parts[0] !== 'secret' || !parts[1]) return undefined;
  const [, , jsonKey, stage, versionId] = parts;
  const base = valueFrom.split(':').slice(0, 7).join(':');
  return {
    store: 'secrets-manager',
    remoteKey: base,
    ...(jsonKey ? { property: jsonKey } : {}),
    ...(versionId ? { version: `uuid/${versionId}` } : stage ? { version: stage } : {}),
    ...(region ? { region } : {}),
  };
}

/** Collects the references of one import and gives each a Secret name and key. */
export class SecretReferences {
  readonly all: SecretReference[] = [];

  constructor(private readonly app: string) {}

  /** The Secret and key that hold `source`; the same source always gets the same key. */
  add(envName: string, source: ParsedSecretSource, valueFrom: string): SecretReference {
    const secretName = `${this.app}-${source.store}`;
    const same = this.all.find((r) => r.store === source.store && r.remoteKey === source.remoteKey && r.property === source.property && r.version === source.version);
    if (same) return same;
    const base = matches(CONFIG_KEY, envName) ? envName : envName.replace(/[^-._a-zA-Z0-9]/g, '_') || 'value';
    let key = base;
    for (let n = 2; this.all.some((r) => r.secretName === secretName && r.key === key); n += 1) key = `${base}_${n}`;
    const ref: SecretReference = { ...source, secretName, key, valueFrom };
    this.all.push(ref);
    return ref;
  }
}

const STORE_NAMES: Record<SecretStore, string> = { 'parameter-store': 'aws-parameter-store', 'secrets-manager': 'aws-secrets-manager' };

/**
 * One ExternalSecret (external-secrets.io/v1) per Secret: what the cluster
 * needs besides the chart. The monochart renders no custom resources, so
 * these are for the platform repo (or a second Argo CD source), and the
 * ClusterSecretStore names are the usual ones, to be checked.
 */
export function externalSecretManifests(references: readonly SecretReference[], namespace?: string): Record<string, unknown>[] {
  const bySecret = new Map<string, SecretReference[]>();
  for (const r of references) bySecret.set(r.secretName, [...(bySecret.get(r.secretName) ?? []), r]);
  return [...bySecret.entries()].map(([name, refs]) => ({
    apiVersion: 'external-secrets.io/v1',
    kind: 'ExternalSecret',
    metadata: { name, ...(namespace ? { namespace } : {}) },
    spec: {
      refreshInterval: '1h',
      secretStoreRef: { kind: 'ClusterSecretStore', name: STORE_NAMES[refs[0]!.store] },
      target: { name, creationPolicy: 'Owner' },
      data: refs.map((r) => ({
        secretKey: r.key,
        remoteRef: { key: r.remoteKey, ...(r.property ? { property: r.property } : {}), ...(r.version ? { version: r.version } : {}) },
      })),
    },
  }));
}
