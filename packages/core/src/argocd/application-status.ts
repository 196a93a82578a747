import { isRevision } from './git-revision.js';

/**
 * The part of an Argo CD Application (`GET /api/v1/applications/{name}`)
 * that says whether a commit is live, and the verdict on it.
 *
 * - `status.sync.status`: `Synced`, `OutOfSync` or `Unknown`, compared at
 *   `status.sync.revision` (`revisions` for multi-source Applications).
 * - `status.health.status`: `Healthy`, `Progressing`, `Degraded`, `Suspended`,
 *   `Missing` or `Unknown`, with an optional `message`.
 * - `status.operationState`: the last sync operation, `phase` `Running`,
 *   `Terminating`, `Succeeded`, `Failed` or `Error`, its `message`, and the
 *   revision it synced (`syncResult.revision`, else `operation.sync.revision`).
 *
 * Every field is text from the server: the model keeps it as given (bounded)
 * and callers neutralise it before logging.
 */

export interface ApplicationStatus {
  syncStatus: string;
  /** The revision sync status was compared at; '' when Argo CD has not compared yet. */
  revision: string;
  /** Multi-source Applications: one revision per source. */
  revisions: string[];
  healthStatus: string;
  healthMessage: string;
  operation?: {
    phase: string;
    message: string;
    /** The revision the operation synced or is syncing; '' when not reported. */
    revision: string;
  };
  /** Conditions such as ComparisonError or SyncError: `Type: message`. */
  conditions: string[];
}

const MAX_TEXT = 2000;
const OPERATION_FAILED = new Set(['Failed', 'Error']);
const OPERATION_RUNNING = new Set(['Running', 'Terminating']);

function record(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function text(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : '';
}

export function applicationStatus(body: unknown): ApplicationStatus {
  const status = record(record(body).status);
  const sync = record(status.sync);
  const health = record(status.health);
  const op = record(status.operationState);
  const opRevision = text(record(op.syncResult).revision) || text(record(record(op.operation).sync).revision);
  const conditions = Array.isArray(status.conditions)
    ? status.conditions.slice(0, 20).map((c) => `${text(record(c).type) || 'Condition'}: ${text(record(c).message)}`)
    : [];
  return {
    syncStatus: text(sync.status) || 'Unknown',
    revision: text(sync.revision),
    revisions: Array.isArray(sync.revisions) ? sync.revisions.filter((r): r is string => typeof r === 'string').slice(0, 20) : [],
    healthStatus: text(health.status) || 'Unknown',
    healthMessage: text(health.message),
    ...(op.phase !== undefined ? { operation: { phase: text(op.phase), message: text(op.message), revision: opRevision } } : {}),
    conditions,
  };
}

/** Whether the Application has compared (or synced) at the commit. */
export function atRevision(status: ApplicationStatus, wanted: string): boolean {
  return isRevision(status.revision, wanted) || status.revisions.some((r) => isRevision(r, wanted));
}

/**
 * The one commit Argo CD reports when it is not ours and no sync of ours is
 * under way: the commit whose manifests are worth comparing with ours.
 * '' when there is none (no revision yet, ours, ours being synced, or a
 * multi-source Application, whose revisions are per source).
 */
export function otherRevision(status: ApplicationStatus, wanted: string): string {
  if (!status.revision || atRevision(status, wanted)) return '';
  const op = status.operation;
  if (op && isRevision(op.revision, wanted) && OPERATION_RUNNING.has(op.phase)) return '';
  return status.revision;
}

export type Verdict =
  /** The commit is live: synced, and healthy when health is required. */
  | { state: 'done' }
  /** It never will be without someone acting: stop waiting. */
  | { state: 'failed'; kind: 'degraded' | 'sync-failed'; reason: string }
  /** Not yet; `reason` says what we are waiting for. */
  | { state: 'waiting'; reason: string };

/**
 * The verdict on one observation. Failures count only at the commit we wait
 * for: a Degraded app or a failed sync of an older revision is what this
 * deploy may be fixing, so we keep waiting for Argo CD to pick the commit up.
 */
export function assess(status: ApplicationStatus, wanted: string, requireHealthy: boolean): Verdict {
  const short = wanted.slice(0, 12);
  const op = status.operation;
  const opHere = op !== undefined && isRevision(op.revision, wanted);
  if (op && opHere && OPERATION_FAILED.has(op.phase)) {
    return { state: 'failed', kind: 'sync-failed', reason: `the sync operation for ${short} ended in phase ${op.phase}${op.message ? `: ${op.message}` : ''}` };
  }
  if (!atRevision(status, wanted)) {
    const seen = status.revision ? status.revision.slice(0, 12) : status.revisions.map((r) => r.slice(0, 12)).join(', ') || 'no revision yet';
    if (op && opHere && OPERATION_RUNNING.has(op.phase)) return { state: 'waiting', reason: `syncing ${short} (operation ${op.phase})` };
    return { state: 'waiting', reason: `Argo CD is at ${seen}, not yet at ${short}` };
  }
  if (op && opHere && OPERATION_RUNNING.has(op.phase)) return { state: 'waiting', reason: `syncing ${short} (operation ${op.phase})` };
  if (status.syncStatus !== 'Synced') return { state: 'waiting', reason: `sync status is ${status.syncStatus} at ${short}` };
  if (status.healthStatus === 'Degraded' && requireHealthy) {
    return { state: 'failed', kind: 'degraded', reason: `${short} is synced but the application is Degraded${status.healthMessage ? `: ${status.healthMessage}` : ''}` };
  }
  if (requireHealthy && status.healthStatus !== 'Healthy') {
    return { state: 'waiting', reason: `synced at ${short}, health is ${status.healthStatus}${status.healthMessage ? ` (${status.healthMessage})` : ''}` };
  }
  return { state: 'done' };
}
