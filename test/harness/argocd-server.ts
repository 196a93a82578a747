import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';

/**
 * A stand-in for the Argo CD API server on loopback, enforcing what Argo CD
 * enforces and playing the state progressions its controller goes through,
 * driven by a real GitOps repository:
 *
 * - HTTPS with a self-signed certificate made for the suite (openssl, argv
 *   only); `caPath` lets a test trust it. `tls: false` serves plain HTTP.
 * - `GET /api/v1/applications/{name}` and `GET
 *   /api/v1/applications/{name}/manifests`, with `Authorization: Bearer
 *   <token>`. Errors as Argo CD's gateway writes them, `{error, code,
 *   message}` with the gRPC code: no token or an unknown one is 401 (code 16);
 *   an Application the token may not read, or one that does not exist, is
 *   403 `permission denied` (code 7), as since v2.6.7/v2.7; with
 *   `?project=` and a token allowed in that project, a missing Application
 *   (or one in another project) is 404 (code 5). Both endpoints need the
 *   same `applications, get`.
 * - `/manifests?revision=<commit>` generates the app's manifests at that
 *   commit of its bare repository, as the repo server does for a Directory
 *   source with `recurse: true`: every `.yaml`/`.yml`/`.json` file below the
 *   app's path (`git ls-tree`/`cat-file`), every non-empty YAML document one
 *   object, answered as a JSON string with Argo CD's tracking annotation
 *   added, in `{manifests, namespace, server, revision, sourceType}` with the
 *   revision resolved to the full SHA. Without `revision`, the branch head.
 *   A revision the repository does not have is HTTP 500, gRPC code 2
 *   (Unknown), `Unable to resolve '<revision>' to a commit SHA`. Nothing
 *   about the app's state moves.
 * - `?refresh=normal|hard` makes the "controller" look at the branch head
 *   of the app's bare repository (`git rev-parse`) before answering, as Argo
 *   CD answers a refresh once it is done. Without a refresh it looks every
 *   `gitPollEvery` GETs of the app (Argo CD's 3-minute poll, counted in
 *   requests so nothing depends on time); never by default.
 * - A new head whose copy of the app's directory is identical to what is
 *   live (another app's commit), while no sync runs, makes the app `Synced`
 *   at that head at once, with no sync operation and no history entry: Argo
 *   CD's sync revision follows the resolved branch head, and it only syncs
 *   `OutOfSync` apps.
 * - A new head that changes the app makes it `OutOfSync` at it; with
 *   auto-sync, each later GET moves the controller one step: a `Running`
 *   sync operation; then the
 *   scenario's outcome: `Synced`/`Progressing`, then `Healthy` or `Degraded`;
 *   or the operation `Failed` with Argo CD's kind of message. Without
 *   auto-sync the app stays `OutOfSync`. A missing app path is a
 *   `ComparisonError` with sync `Unknown`.
 * - Faults queued per app (`503`, a dropped connection) are answered first,
 *   for GET (`fault`) or for `/manifests` (`faultManifests`).
 *
 * Every request is recorded.
 */

export type Scenario = 'healthy' | 'degraded' | 'sync-fails';

export interface AppDefinition {
  name: string;
  project?: string;
  /** The bare GitOps repository the app follows. */
  repo: string;
  branch?: string;
  /** The directory in the repo; the app's name by default (`<app>--<env>`). */
  path?: string;
  scenario?: Scenario;
  autoSync?: boolean;
  /** The "controller" compares with Git every this many GETs without a refresh. */
  gitPollEvery?: number;
  /** Text Argo CD would put in a failed operation's or a Degraded health's message. */
  failureMessage?: string;
}

export interface TokenGrant {
  /** Projects whose Applications the token may get; `*` for all. */
  projects: string[];
}

export type Fault = { status: 500 | 502 | 503 | 504 } | { drop: true };

export interface RecordedRequest {
  method: string;
  /** The path and query as sent. */
  url: string;
  authorization: string | undefined;
  status: number;
  refresh: string | null;
}

export interface ArgoCdServer {
  /** https://127.0.0.1:<port> (http:// with tls: false) */
  url: string;
  /** A token allowed in every project. */
  token: string;
  /** The self-signed certificate (PEM file), for NODE_EXTRA_CA_CERTS; '' with tls: false. */
  caPath: string;
  addApplication(app: AppDefinition): void;
  /** Add a token; returns it. */
  addToken(grant: TokenGrant, token?: string): string;
  fault(app: string, ...faults: Fault[]): void;
  /** Faults answered first to `/manifests` requests of the app. */
  faultManifests(app: string, ...faults: Fault[]): void;
  /** The current Application JSON, as GET would answer it (without advancing anything). */
  application(name: string): Record<string, unknown> | undefined;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

interface AppState {
  def: Required<Omit<AppDefinition, 'failureMessage'>> & { failureMessage: string };
  /** The commit the controller last compared with. */
  target: string;
  /** The commit live in the "cluster". */
  live: string;
  stage: 'synced' | 'out-of-sync' | 'syncing' | 'progressing' | 'healthy' | 'degraded' | 'failed' | 'comparison-error';
  gets: number;
  operation?: { phase: string; message: string; revision: string; startedAt: string; finishedAt?: string };
  history: { id: number; revision: string; deployedAt: string }[];
  reconciledAt: string;
}

function grpcError(res: ServerResponse, status: number, code: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: message, code, message }));
}

function now(): string {
  return new Date().toISOString().replace(/\.\d+Z$/, 'Z');
}

function git(repo: string, args: string[]): string {
  return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

const SYNCED_STAGES = new Set<AppState['stage']>(['synced', 'progressing', 'healthy', 'degraded']);
const MANIFEST_FILE = /\.(ya?ml|json)$/;

function sourceOf(def: AppState['def']) {
  return { repoURL: `file://${def.repo}`, path: def.path, targetRevision: def.branch, directory: { recurse: true } };
}

function destinationOf(def: AppState['def']) {
  return { server: 'https://kubernetes.default.svc', namespace: def.name };
}

/** The full SHA of a commit the repository has, or '' (as `git rev-parse --verify` says). */
function resolveCommit(repo: string, revision: string): string {
  if (revision.startsWith('-')) return '';
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${revision}^{commit}`]);
  } catch {
    return '';
  }
}

/** The app's directory at a commit as a tree id, '' where it does not exist: equal ids mean identical content. */
function treeAt(app: AppState, commit: string): string {
  try {
    return git(app.def.repo, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${commit}:${app.def.path}`]);
  } catch {
    return '';
  }
}

/**
 * What the repo server generates for a recursive Directory source at a
 * commit: each non-empty YAML document of each manifest file below the path,
 * in file order, as JSON, with the annotation Argo CD tracks its objects by.
 */
function manifestsAt(def: AppState['def'], commit: string): string[] {
  const listing = git(def.repo, ['ls-tree', '-r', '-z', '--full-tree', commit, '--', `${def.path}/`]);
  const files = listing
    .split('\0')
    .filter(Boolean)
    .map((entry) => /^\d+ (\w+) ([0-9a-f]+)\t(.*)$/s.exec(entry))
    .filter((m): m is RegExpExecArray => m !== null && m[1] === 'blob' && MANIFEST_FILE.test(m[3]!))
    .sort((a, b) => (a[3]! < b[3]! ? -1 : 1));
  const out: string[] = [];
  for (const [, , oid, path] of files) {
    const text = execFileSync('git', ['cat-file', 'blob', oid!], { cwd: def.repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    let documents: unknown[];
    try {
      documents = loadAll(text);
    } catch (e) {
      throw new Error(`Failed to unmarshal "${path}": ${(e as Error).message.split('\n')[0]}`);
    }
    for (const object of documents) {
      if (object === null || object === undefined) continue;
      if (typeof object !== 'object' || Array.isArray(object)) throw new Error(`"${path}": a document that is not a Kubernetes object`);
      out.push(JSON.stringify(tracked(object as Record<string, unknown>, def)));
    }
  }
  return out;
}

/** Argo CD's annotation tracking (its default since 3.0): `<app>:<group>/<kind>:<namespace>/<name>`. */
function tracked(object: Record<string, unknown>, def: AppState['def']): Record<string, unknown> {
  const metadata = { ...((object.metadata ?? {}) as Record<string, unknown>) };
  const apiVersion = typeof object.apiVersion === 'string' ? object.apiVersion : '';
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace ? metadata.namespace : destinationOf(def).namespace;
  const annotations = { ...((metadata.annotations ?? {}) as Record<string, unknown>) };
  annotations['argocd.argoproj.io/tracking-id'] = `${def.name}:${group}/${String(object.kind)}:${namespace}/${String(metadata.name)}`;
  return { ...object, metadata: { ...metadata, annotations } };
}

/** A key and self-signed certificate for 127.0.0.1 and localhost; the key file is removed once read. */
function selfSignedCertificate(): { key: Buffer; cert: Buffer; certPath: string } {
  const dir = mkdtempSync(join(tmpdir(), 'argocd-tls-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '2', '-sha256',
      '-subj', '/CN=argocd-server.test', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const key = readFileSync(keyPath);
  rmSync(keyPath, { force: true });
  return { key, cert: readFileSync(certPath), certPath };
}

export async function startArgoCdServer(options: { tls?: boolean } = {}): Promise<ArgoCdServer> {
  const tls = options.tls ?? true;
  const apps = new Map<string, AppState>();
  const tokens = new Map<string, TokenGrant>();
  const faults = new Map<string, Fault[]>();
  const manifestFaults = new Map<string, Fault[]>();
  const requests: RecordedRequest[] = [];
  const adminToken = `argocd-admin-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
  tokens.set(adminToken, { projects: ['*'] });

  /** The controller compares the app with its branch head. */
  const compare = (app: AppState) => {
    app.reconciledAt = now();
    const head = git(app.def.repo, ['rev-parse', `refs/heads/${app.def.branch}`]);
    const hasPath = git(app.def.repo, ['ls-tree', '--name-only', head, '--', app.def.path]) !== '';
    if (!hasPath) {
      app.target = head;
      app.stage = 'comparison-error';
      return;
    }
    if (head === app.target && app.stage !== 'comparison-error') return;
    app.target = head;
    if (app.stage !== 'syncing' && treeAt(app, head) === treeAt(app, app.live)) {
      // Nothing for this app to sync: compared Synced at the new head, no operation, no history.
      if (!SYNCED_STAGES.has(app.stage)) app.stage = 'healthy';
      return;
    }
    app.stage = 'out-of-sync';
  };

  /** One step of the controller's work between two GETs. */
  const advance = (app: AppState) => {
    if (!app.def.autoSync) return;
    switch (app.stage) {
      case 'out-of-sync':
        app.stage = 'syncing';
        app.operation = { phase: 'Running', message: 'one or more tasks are running', revision: app.target, startedAt: now() };
        return;
      case 'syncing':
        if (app.def.scenario === 'sync-fails') {
          app.stage = 'failed';
          app.operation = { ...app.operation!, phase: 'Failed', message: app.def.failureMessage, finishedAt: now() };
          return;
        }
        app.stage = 'progressing';
        app.live = app.target;
        app.operation = { ...app.operation!, phase: 'Succeeded', message: 'successfully synced (all tasks run)', finishedAt: now() };
        app.history.push({ id: app.history.length, revision: app.target, deployedAt: now() });
        return;
      case 'progressing':
        app.stage = app.def.scenario === 'degraded' ? 'degraded' : 'healthy';
        return;
      default:
    }
  };

  const applicationJson = (app: AppState): Record<string, unknown> => {
    const { def } = app;
    const source = sourceOf(def);
    const destination = destinationOf(def);
    const sync =
      app.stage === 'comparison-error'
        ? { status: 'Unknown', comparedTo: { source, destination } }
        : {
            status: SYNCED_STAGES.has(app.stage) ? 'Synced' : 'OutOfSync',
            comparedTo: { source, destination },
            revision: app.target,
          };
    const health =
      app.stage === 'progressing'
        ? { status: 'Progressing', message: `Waiting for rollout to finish: 1 of 2 updated replicas are available...` }
        : app.stage === 'degraded'
          ? { status: 'Degraded', message: def.failureMessage }
          : app.stage === 'comparison-error'
            ? { status: 'Unknown' }
            : { status: 'Healthy' };
    const status: Record<string, unknown> = {
      sync,
      health,
      reconciledAt: app.reconciledAt,
      sourceType: 'Directory',
      summary: {},
      history: app.history.map((h) => ({ id: h.id, revision: h.revision, deployedAt: h.deployedAt, source })),
      resources: [
        { group: 'apps', version: 'v1', kind: 'Deployment', namespace: def.name, name: def.name, status: sync.status, health: { status: health.status } },
      ],
    };
    if (app.stage === 'comparison-error') {
      status.conditions = [
        {
          type: 'ComparisonError',
          message: `Failed to load target state: failed to generate manifest for source 1 of 1: rpc error: code = Unknown desc = ${def.path}: app path does not exist`,
          lastTransitionTime: app.reconciledAt,
        },
      ];
    }
    if (app.operation) {
      const op = app.operation;
      status.operationState = {
        operation: { sync: { revision: op.revision }, initiatedBy: { automated: true }, retry: { limit: 5 } },
        phase: op.phase,
        message: op.message,
        startedAt: op.startedAt,
        ...(op.finishedAt ? { finishedAt: op.finishedAt } : {}),
        ...(op.phase === 'Running' ? {} : { syncResult: { revision: op.revision, source, resources: [] } }),
      };
    }
    return {
      metadata: { name: def.name, namespace: 'argocd', uid: `uid-${def.name}`, resourceVersion: String(app.gets + 1000) },
      spec: { project: def.project, source, destination, syncPolicy: def.autoSync ? { automated: { prune: true, selfHeal: true } } : {} },
      status,
    };
  };

  /** Argo CD's checks before either endpoint answers: the token, then `applications, get` on the app. */
  const authorise = (req: IncomingMessage, url: URL, name: string, res: ServerResponse, record: (status: number) => void): AppState | undefined => {
    const auth = req.headers.authorization;
    if (!auth) {
      record(401);
      grpcError(res, 401, 16, 'no session information');
      return undefined;
    }
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    const grant = bearer ? tokens.get(bearer) : undefined;
    if (!grant) {
      record(401);
      grpcError(res, 401, 16, 'invalid session: token signature is invalid');
      return undefined;
    }
    const project = url.searchParams.get('project');
    const app = apps.get(name);
    const may = (p: string) => grant.projects.includes('*') || grant.projects.includes(p);
    if (project !== null) {
      if (!may(project)) {
        record(403);
        grpcError(res, 403, 7, 'permission denied');
        return undefined;
      }
      if (!app || app.def.project !== project) {
        record(404);
        grpcError(res, 404, 5, `error getting application: applications.argoproj.io "${name}" not found`);
        return undefined;
      }
    }
    if (!app || !may(app.def.project)) {
      record(403);
      grpcError(res, 403, 7, 'permission denied');
      return undefined;
    }
    return app;
  };

  /** A queued fault, answered instead of the request; true when one was. */
  const answerFault = (queue: Fault[] | undefined, req: IncomingMessage, res: ServerResponse, record: (status: number) => void): boolean => {
    const fault = queue?.shift();
    if (!fault) return false;
    if ('drop' in fault) {
      record(0);
      req.socket.destroy();
      return true;
    }
    record(fault.status);
    grpcError(res, fault.status, 14, 'upstream connect error or disconnect/reset before headers');
    return true;
  };

  const getApplication = (app: AppState, url: URL, res: ServerResponse, record: (status: number) => void) => {
    app.gets++;
    const refresh = url.searchParams.get('refresh');
    if (app.gets > 1) advance(app);
    if (refresh === 'normal' || refresh === 'hard' || app.gets % app.def.gitPollEvery === 0) compare(app);
    record(200);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(applicationJson(app)));
  };

  const getManifests = (app: AppState, url: URL, res: ServerResponse, record: (status: number) => void) => {
    const asked = url.searchParams.get('revision') || `refs/heads/${app.def.branch}`;
    const revision = resolveCommit(app.def.repo, asked);
    if (!revision) {
      record(500);
      grpcError(res, 500, 2, `Unable to resolve '${asked}' to a commit SHA`);
      return;
    }
    let manifests: string[];
    try {
      manifests = manifestsAt(app.def, revision);
    } catch (error) {
      record(500);
      grpcError(res, 500, 2, (error as Error).message);
      return;
    }
    record(200);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ manifests, namespace: destinationOf(app.def).namespace, server: destinationOf(app.def).server, revision, sourceType: 'Directory' }));
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const record = (status: number) =>
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, status, refresh: url.searchParams.get('refresh') });
    const match = /^\/api\/v1\/applications\/([^/]+)(\/manifests)?$/.exec(url.pathname);
    if (!match) {
      record(404);
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      res.end('Not Found');
      return;
    }
    if (req.method !== 'GET') {
      record(501);
      grpcError(res, 501, 12, 'Method Not Allowed');
      return;
    }
    const name = decodeURIComponent(match[1]!);
    const app = authorise(req, url, name, res, record);
    if (!app) return;
    if (match[2]) {
      if (!answerFault(manifestFaults.get(name), req, res, record)) getManifests(app, url, res, record);
      return;
    }
    if (!answerFault(faults.get(name), req, res, record)) getApplication(app, url, res, record);
  };

  let server: Server;
  let caPath = '';
  if (tls) {
    const { key, cert, certPath } = selfSignedCertificate();
    caPath = certPath;
    server = createHttpsServer({ key, cert }, handle);
  } else {
    server = createHttpServer(handle);
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    token: adminToken,
    caPath,
    addApplication(def) {
      const full = {
        project: 'default',
        branch: 'main',
        path: def.name,
        scenario: 'healthy' as const,
        autoSync: true,
        gitPollEvery: Number.POSITIVE_INFINITY,
        failureMessage: '',
        ...def,
      };
      full.failureMessage ||=
        full.scenario === 'degraded'
          ? `Deployment "${def.name}" exceeded its progress deadline`
          : `one or more objects failed to apply, reason: Deployment.apps "${def.name}" is invalid: spec.template.spec.containers[0].image: Required value`;
      const head = git(def.repo, ['rev-parse', `refs/heads/${full.branch}`]);
      const state: AppState = { def: full, target: head, live: head, stage: 'healthy', gets: 0, history: [{ id: 0, revision: head, deployedAt: now() }], reconciledAt: now() };
      apps.set(def.name, state);
    },
    addToken(grant, token = `argocd-token-${Math.random().toString(36).slice(2)}`) {
      tokens.set(token, grant);
      return token;
    },
    fault(app, ...more) {
      faults.set(app, [...(faults.get(app) ?? []), ...more]);
    },
    faultManifests(app, ...more) {
      manifestFaults.set(app, [...(manifestFaults.get(app) ?? []), ...more]);
    },
    application(name) {
      const app = apps.get(name);
      return app ? applicationJson(app) : undefined;
    },
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
