import { InputError } from '../errors/errors.js';
import type { DeployStatus } from './deploy-status.js';

/**
 * What Argo CD says of the deployed commit, as the wait-for-sync action
 * reports it (`sync-status`, `health-status`): it turns "committed" into
 * "live and healthy", or shows what state the app was left in.
 */
export interface LiveState {
  /** `Synced`, `OutOfSync`, `Unknown`; '' when not known. */
  sync: string;
  /** `Healthy`, `Progressing`, `Degraded`, `Suspended`, `Missing`, `Unknown`; '' when not known. */
  health: string;
}

const SYNC_STATUSES = ['Synced', 'OutOfSync', 'Unknown'] as const;
const HEALTH_STATUSES = ['Healthy', 'Progressing', 'Degraded', 'Suspended', 'Missing', 'Unknown'] as const;

function parseStatus(raw: string, name: string, known: readonly string[]): string {
  const text = raw.trim();
  if (text === '') return '';
  const found = known.find((status) => status.toLowerCase() === text.toLowerCase());
  if (found) return found;
  const shown = text.length > 40 ? `${text.slice(0, 37)}...` : text;
  throw new InputError(`input '${name}' must be one of Argo CD's ${known.join(', ')} (e.g. the wait-for-sync action's '${name}' output) (got '${shown}')`);
}

export function parseSyncStatus(raw: string, name = 'sync-status'): string {
  return parseStatus(raw, name, SYNC_STATUSES);
}

export function parseHealthStatus(raw: string, name = 'health-status'): string {
  return parseStatus(raw, name, HEALTH_STATUSES);
}

/** `Synced · Healthy`: the Argo CD fact of a message; '' when nothing is known. */
export function liveStateText(state: LiveState | undefined): string {
  return state ? [state.sync, state.health].filter(Boolean).join(' · ') : '';
}

/**
 * The headline once Argo CD has answered: "verity-api 1.4.0 is live and
 * healthy in staging", "… is synced to staging (Progressing)" when health
 * was not waited for; on failure "… did not become healthy in staging" or
 * "… was not synced to staging". Undefined when Argo CD said nothing: the
 * status's own headline applies.
 */
export function liveHeadline(status: DeployStatus, what: string, environment: string, state: LiveState | undefined): string | undefined {
  if (!state || (status !== 'success' && status !== 'failure')) return undefined;
  const inEnv = environment ? ` in ${environment}` : '';
  const toEnv = environment ? ` to ${environment}` : '';
  if (status === 'failure') {
    if (state.sync === 'Synced' && state.health && state.health !== 'Healthy') return `${what} did not become healthy${inEnv} (${state.health})`;
    return state.sync && state.sync !== 'Synced' ? `${what} was not synced${toEnv} (${state.sync})` : undefined;
  }
  if (state.sync !== 'Synced') return undefined;
  if (state.health === 'Healthy') return `${what} is live and healthy${inEnv}`;
  return `${what} is synced${toEnv}${state.health ? ` (${state.health})` : ''}`;
}
