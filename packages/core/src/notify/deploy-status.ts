import { InputError } from '../errors/errors.js';

/**
 * The states a deploy notice can report, and how each looks. `success`,
 * `failure` and `cancelled` are exactly what `${{ job.status }}` gives;
 * `skipped` is what `needs.<job>.result` can add.
 */
export type DeployStatus = 'started' | 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StatusLook {
  /** Slack emoji shortcode, shown in the header and the notification text. */
  emoji: string;
  /** The same idea as a Unicode character, for the job summary. */
  symbol: string;
  /** The bar beside the message (Slack attachment colour). */
  color: string;
  /** One word for the status field: "Started", "Succeeded", … */
  label: string;
}

const LOOKS: Record<DeployStatus, StatusLook> = {
  started: { emoji: ':rocket:', symbol: '🚀', color: '#1D9BD1', label: 'Started' },
  success: { emoji: ':white_check_mark:', symbol: '✅', color: '#2EB67D', label: 'Succeeded' },
  failure: { emoji: ':x:', symbol: '❌', color: '#E01E5A', label: 'Failed' },
  cancelled: { emoji: ':no_entry_sign:', symbol: '🚫', color: '#9E9E9E', label: 'Cancelled' },
  skipped: { emoji: ':fast_forward:', symbol: '⏭️', color: '#9E9E9E', label: 'Skipped' },
};

const ALIASES: Record<string, DeployStatus> = {
  started: 'started',
  start: 'started',
  success: 'success',
  succeeded: 'success',
  failure: 'failure',
  failed: 'failure',
  cancelled: 'cancelled',
  canceled: 'cancelled',
  skipped: 'skipped',
};

export const DEPLOY_STATUSES = Object.keys(LOOKS) as DeployStatus[];

/** Accepts the statuses in any case (`Success`, `FAILURE`) and the usual spellings (`canceled`, `failed`). */
export function parseDeployStatus(raw: string, inputName = 'status'): DeployStatus {
  const status = ALIASES[raw.trim().toLowerCase()];
  if (status) return status;
  const shown = raw.length > 40 ? `${raw.slice(0, 37)}...` : raw;
  throw new InputError(
    `input '${inputName}' must be one of ${DEPLOY_STATUSES.join(', ')} (any case; \${{ job.status }} works as it is) (got '${shown}')`,
  );
}

export function statusLook(status: DeployStatus): StatusLook {
  return LOOKS[status];
}

/** The default headline, without emoji: "verity-api 1.4.0 deployed to production". */
export function defaultHeadline(status: DeployStatus, what: string, environment: string): string {
  const where = environment ? ` to ${environment}` : '';
  switch (status) {
    case 'started':
      return `Deploying ${what}${where}`;
    case 'success':
      return `${what} deployed${where}`;
    case 'failure':
      return `Deploy of ${what}${where} failed`;
    case 'cancelled':
      return `Deploy of ${what}${where} was cancelled`;
    case 'skipped':
      return `Deploy of ${what}${where} was skipped`;
  }
}
