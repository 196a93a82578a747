import { redact } from '../exec/redact.js';
import { neutraliseLine } from '../log/neutralise.js';
import type { Runtime } from '../runtime/runtime.js';
import { ArgoCdClient } from './argocd-client.js';
import { ArgoCdError } from './argocd-error.js';
import type { ArgoCdServer } from './argocd-url.js';
import { applicationStatus, assess, atRevision, otherRevision, type ApplicationStatus, type Verdict } from './application-status.js';
import { formatDuration } from './duration.js';
import { RevisionEquivalence } from './revision-equivalence.js';
import { syncSummaryMarkdown, type WaitReport } from './sync-summary.js';

/**
 * The wait-for-sync step: poll the Argo CD Application until the GitOps
 * commit is synced (and healthy, unless that is not required), with backoff,
 * until a deadline. Asks Argo CD for a refresh while the commit is not there
 * yet, so the wait does not depend on the controller's 3-minute Git poll.
 *
 * A commit Argo CD reports instead of ours counts as ours when Argo CD's own
 * manifests for the Application are the same at both (another app's commit
 * that landed on the shared branch after ours): ours is then live once that
 * commit is, and Argo CD may never report ours at all. A commit whose
 * manifests differ (an older one, or a newer one that replaces ours) is
 * waited past, and named in the timeout.
 *
 * Stops early when waiting cannot help: Degraded or a failed sync at the
 * commit, a token or Application Argo CD refuses, a server that cannot be
 * reached for good. Outputs and the job summary are written in every case,
 * with the last state seen, before the step fails.
 */

export interface WaitForSyncOptions {
  server: ArgoCdServer;
  token: string;
  application: string;
  /** The GitOps commit SHA (full or abbreviated, lower case). */
  revision: string;
  timeoutMs: number;
  requireHealthy: boolean;
  /** Ask Argo CD to refresh while the commit is not there yet. */
  refresh: boolean;
  /** The first wait between polls; it grows while nothing changes. */
  pollIntervalMs: number;
  /** Argo CD project: makes a missing Application a 404 instead of 403. */
  project?: string;
  /** One request; a refresh waits for the controller. Default 60 s, never beyond the deadline. */
  requestTimeoutMs?: number;
}

export interface WaitOutputs {
  synced: boolean;
  healthy: boolean;
  'sync-status': string;
  'health-status': string;
  revision: string;
  'duration-seconds': number;
  message: string;
}

/** The clock, injectable so the loop is tested without waiting. */
export interface WaitClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const realClock: WaitClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** How long the wait grows between polls while nothing changes: up to this many poll intervals. */
const MAX_BACKOFF_FACTOR = 6;
/** A refresh costs Argo CD a comparison against Git; ask at most this often. */
const MIN_REFRESH_GAP_MS = 30_000;

export interface WaitDependencies {
  client?: Pick<ArgoCdClient, 'getApplication' | 'getManifests'>;
  clock?: WaitClock;
}

export async function waitForSync(
  options: WaitForSyncOptions,
  runtime: Runtime,
  publish: (outputs: Partial<WaitOutputs>) => void = () => {},
  deps: WaitDependencies = {},
): Promise<WaitOutputs> {
  const clock = deps.clock ?? realClock;
  const client =
    deps.client ??
    new ArgoCdClient({
      server: options.server,
      token: options.token,
      requestTimeoutMs: Math.min(options.requestTimeoutMs ?? 60_000, Math.max(options.timeoutMs, 5_000)),
      secrets: runtime.secrets,
    });
  const started = clock.now();
  const deadline = started + options.timeoutMs;
  const host = options.server.base.host;
  const short = options.revision.slice(0, 12);
  const goal = options.requireHealthy ? 'synced and healthy' : 'synced';
  const log = (line: string) => runtime.info(neutraliseLine(redact(line, [options.token, ...runtime.secrets])));
  const equivalence = new RevisionEquivalence(client, {
    application: options.application,
    ours: options.revision,
    ...(options.project ? { project: options.project } : {}),
  });
  /** Argo CD is at our commit, or at one with the same manifests. */
  const atOurs = (status: ApplicationStatus) => atRevision(status, options.revision) || equivalence.isSame(status.revision);

  let last: ApplicationStatus | undefined;
  let verdict: Verdict = { state: 'waiting', reason: 'no answer from Argo CD yet' };
  let failure: unknown;
  let lastShown = '';
  let lastRefresh = -Infinity;
  let delay = options.pollIntervalMs;
  let polls = 0;
  let lastProblem = '';

  /** `3f2a1c9d8e7b`, or `84b53f0d599c, a commit with the same manifests for it as 3f2a1c9d8e7b`. */
  const liveAt = () =>
    last && !atRevision(last, options.revision) && atOurs(last) ? `${last.revision.slice(0, 12)}, a commit with the same manifests for it as ${short}` : short;

  /** The verdict on one answer, and what the manifests comparison found that is news, to log after the poll's line. */
  const judgeAndTell = async (status: ApplicationStatus): Promise<{ verdict: Verdict; notes: string[] }> => {
    const announced = equivalence.isSame(status.revision);
    const judged = await judge(status, options.revision, options.requireHealthy, equivalence);
    const notes: string[] = [];
    if (judged.sameAs && !announced) {
      notes.push(`Argo CD is at ${judged.sameAs.slice(0, 12)}, another commit of the branch with the same manifests for ${options.application} as ${short}: ${short} is live once it is`);
    }
    if (judged.problem !== undefined && judged.problem !== lastProblem) {
      notes.push(`could not compare Argo CD's manifests at ${status.revision.slice(0, 12)} with ${short} yet (${judged.problem}); asking again on the next poll`);
    }
    lastProblem = judged.problem ?? '';
    return { verdict: judged.verdict, notes };
  };

  const outputs = (): WaitOutputs => {
    const synced = last !== undefined && atOurs(last) && last.syncStatus === 'Synced';
    return {
      synced,
      // Health is the live objects': before the commit is synced it says nothing about the commit.
      healthy: synced && last!.healthStatus === 'Healthy',
      'sync-status': last?.syncStatus ?? '',
      'health-status': last?.healthStatus ?? '',
      revision: last?.revision || last?.revisions.join(',') || '',
      'duration-seconds': Math.round((clock.now() - started) / 1000),
      message: messageFor(verdict, failure, [options.token, ...runtime.secrets]) || `${options.application} is ${goal} at ${liveAt()}`,
    };
  };

  await runtime.group(`Wait for Argo CD application ${options.application} at ${short}`, async () => {
    log(
      `Argo CD ${host}${options.server.insecure ? ' (insecure: TLS not verified)' : ''}; waiting up to ${formatDuration(options.timeoutMs)} ` +
        `for ${options.application} to be synced${options.requireHealthy ? ' and healthy' : ''} at ${options.revision}`,
    );
    try {
      for (;;) {
        polls++;
        const wantRefresh = options.refresh && !(last && atOurs(last)) && clock.now() - lastRefresh >= MIN_REFRESH_GAP_MS;
        const asked = clock.now();
        const answer = await client.getApplication(options.application, {
          ...(wantRefresh ? { refresh: 'normal' as const } : {}),
          ...(options.project ? { project: options.project } : {}),
        });
        let line: string;
        let changed: boolean;
        let notes: string[] = [];
        if (answer.ok) {
          // A refresh that failed did not happen: ask again on the next poll.
          if (wantRefresh) lastRefresh = asked;
          last = applicationStatus(answer.body);
          ({ verdict, notes } = await judgeAndTell(last));
          line = `${describe(last)}: ${verdict.state === 'done' ? 'done' : verdict.reason}`;
          changed = line !== lastShown;
        } else {
          line = `${answer.problem}; trying again`;
          changed = true;
        }
        const elapsed = formatDuration(clock.now() - started);
        if (changed) log(`[${elapsed}]${wantRefresh ? ' (refreshed)' : ''} ${line}`);
        else runtime.debug(neutraliseLine(`[${elapsed}] unchanged: ${line}`));
        for (const note of notes) log(note);
        lastShown = line;

        if (verdict.state === 'done') return;
        if (verdict.state === 'failed') throw new ArgoCdError(verdict.kind, `${options.application}: ${verdict.reason}`);

        const left = deadline - clock.now();
        if (left <= 0) {
          const seen = last ? `last seen: ${describe(last)} (${verdict.reason})` : `no answer from Argo CD (${answer.ok ? verdict.reason : answer.problem})`;
          throw new ArgoCdError('timeout', `${options.application} was not ${goal} at ${short} within ${formatDuration(options.timeoutMs)}; ${seen}`);
        }
        // Back off while nothing moves; a change means Argo CD is working, so look again soon.
        delay = changed ? options.pollIntervalMs : Math.min(Math.round(delay * 1.5), options.pollIntervalMs * MAX_BACKOFF_FACTOR);
        await clock.sleep(Math.min(delay, left));
      }
    } catch (error) {
      failure = error;
    }
  });

  const result = outputs();
  publish(result);
  const report: WaitReport = {
    application: options.application,
    host,
    wanted: options.revision,
    requireHealthy: options.requireHealthy,
    ...(last && !atRevision(last, options.revision) && atOurs(last) ? { sameManifestsAt: last.revision } : {}),
    status: last,
    outcome: failure === undefined ? 'live' : failure instanceof ArgoCdError && failure.kind === 'timeout' ? 'timeout' : 'failed',
    message: result.message,
    durationSeconds: result['duration-seconds'],
    polls,
  };
  await runtime.summary(syncSummaryMarkdown(report));
  if (failure !== undefined) throw failure;
  log(`${options.application} is ${goal} at ${liveAt()} after ${formatDuration(clock.now() - started)}`);
  return result;
}

interface Judgement {
  verdict: Verdict;
  /** The commit Argo CD is at, found to have our manifests. */
  sameAs?: string;
  /** Why the manifests could not be compared this time. */
  problem?: string;
}

/**
 * The verdict on one observation, taking a commit Argo CD reports instead
 * of ours for ours when its manifests for the Application are the same.
 * Failures at our commit were found by `assess` first and stand.
 */
async function judge(status: ApplicationStatus, wanted: string, requireHealthy: boolean, equivalence: RevisionEquivalence): Promise<Judgement> {
  const verdict = assess(status, wanted, requireHealthy);
  const other = verdict.state === 'waiting' ? otherRevision(status, wanted) : '';
  if (!other) return { verdict };
  const found = await equivalence.compare(other);
  switch (found.state) {
    case 'same':
      return { verdict: assess(status, other, requireHealthy), sameAs: other };
    case 'different': {
      const reason =
        `Argo CD is at ${other.slice(0, 12)}, whose manifests for this application differ from ${wanted.slice(0, 12)} ` +
        `in ${found.differences.join(', ')}: an older commit, or a newer one that replaces ours`;
      return { verdict: { state: 'waiting', reason } };
    }
    default:
      return { verdict, problem: found.problem };
  }
}

/** `OutOfSync/Healthy at 3f2a1c9d8e7b (operation Running)` */
export function describe(status: ApplicationStatus): string {
  const at = status.revision ? status.revision.slice(0, 12) : status.revisions.map((r) => r.slice(0, 12)).join(',') || 'no revision';
  const op = status.operation ? `, operation ${status.operation.phase}${status.operation.revision ? ` of ${status.operation.revision.slice(0, 12)}` : ''}` : '';
  return `${status.syncStatus}/${status.healthStatus} at ${at}${op}`;
}

/** Why the wait ended: the failure, or '' when the commit is live. */
function messageFor(verdict: Verdict, failure: unknown, secrets: readonly string[]): string {
  if (failure !== undefined) return redact(failure instanceof Error ? failure.message : String(failure), secrets);
  return verdict.state === 'done' ? '' : verdict.reason;
}
