import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A stand-in for the Argo CD API server on loopback, enforcing what Argo CD
 * enforces and playing the state progressions its controller goes through,
 * driven by a real GitOps repository:
 *
 * - HTTPS with a self-signed certificate made for the suite (openssl, argv
 *   only); `caPath` lets a test trust it. `tls: false` serves plain HTTP.
 * - `GET /api/v1/applications/{name}` only, with `Authorization: Bearer
 *   <token>`. Errors as Argo CD's gateway writes them, `{error, code,
 *   message}` with the gRPC code: no token or an unknown one is 401 (code 16);
 *   an Application the token may not read, or one that does not exist, is
 *   403 `permission denied` (code 7), as since v2.6.7/v2.7; with
 *   `?project=` and a token allowed in that project, a missing Application
 *   (or one in another project) is 404 (code 5).
 * - `?refresh=normal|hard` makes the "controller" look at the branch head
 *   of the app's bare repository (`git rev-parse`) before answering, as Argo
 *   CD answers a refresh once it is done. Without a refresh it looks every
 *   `gitPollEvery` GETs of the app (Argo CD's 3-minute poll, counted in
 *   requests so nothing depends on time); never by default.
 * - A new head makes the app `OutOfSync` at it; with auto-sync, each later GET
 *   moves the controller one step: a `Running` sync operation; then the
 *   scenario's outcome: `Synced`/`Progressing`, then `Healthy` or `Degraded`;
 *   or the operation `Failed` with Argo CD's kind of message. Without
 *   auto-sync the app stays `OutOfSync`. A missing app path is a
 *   `ComparisonError` with sync `Unknown`.
 * - Faults queued per app (`503`, a dropped connection) are answered first.
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
    app.stage = head === app.live ? 'healthy' : 'out-of-sync';
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
    const source = { repoURL: `file://${def.repo}`, path: def.path, targetRevision: def.branch };
    const destination = { server: 'https://kubernetes.default.svc', namespace: def.name };
    const sync =
      app.stage === 'comparison-error'
        ? { status: 'Unknown', comparedTo: { source, destination } }
        : {
            status: ['synced', 'progressing', 'healthy', 'degraded'].includes(app.stage) ? 'Synced' : 'OutOfSync',
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

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const record = (status: number) =>
      requests.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization, status, refresh: url.searchParams.get('refresh') });
    const match = /^\/api\/v1\/applications\/([^/]+)$/.exec(url.pathname);
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
    const auth = req.headers.authorization;
    if (!auth) {
      record(401);
      grpcError(res, 401, 16, 'no session information');
      return;
    }
    const bearer = /^Bearer (.+)$/.exec(auth)?.[1];
    const grant = bearer ? tokens.get(bearer) : undefined;
    if (!grant) {
      record(401);
      grpcError(res, 401, 16, 'invalid session: token signature is invalid');
      return;
    }
    const name = decodeURIComponent(match[1]!);
    const project = url.searchParams.get('project');
    const app = apps.get(name);
    const may = (p: string) => grant.projects.includes('*') || grant.projects.includes(p);
    if (project !== null) {
      if (!may(project)) {
        record(403);
        grpcError(res, 403, 7, 'permission denied');
        return;
      }
      if (!app || app.def.project !== project) {
        record(404);
        grpcError(res, 404, 5, `error getting application: applications.argoproj.io "${name}" not found`);
        return;
      }
    }
    if (!app || !may(app.def.project)) {
      record(403);
      grpcError(res, 403, 7, 'permission denied');
      return;
    }
    const fault = faults.get(name)?.shift();
    if (fault) {
      if ('drop' in fault) {
        record(0);
        req.socket.destroy();
        return;
      }
      record(fault.status);
      grpcError(res, fault.status, 14, 'upstream connect error or disconnect/reset before headers');
      return;
    }
    app.gets++;
    const refresh = url.searchParams.get('refresh');
    if (app.gets > 1) advance(app);
    if (refresh === 'normal' || refresh === 'hard' || app.gets % app.def.gitPollEvery === 0) compare(app);
    record(200);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(applicationJson(app)));
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
