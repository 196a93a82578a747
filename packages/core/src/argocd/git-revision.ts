import { InputError } from '../errors/errors.js';

/**
 * The GitOps commit to wait for. Argo CD reports full commit SHAs
 * (`status.sync.revision`), so the input is a hex SHA: full (SHA-1 or
 * SHA-256) or abbreviated to at least 7 digits, compared as a prefix.
 * A branch or tag would be ambiguous: it moves while we wait.
 */
export function parseRevision(raw: string, name = 'revision'): string {
  const value = raw.trim().toLowerCase();
  if (!/^[0-9a-f]{7,64}$/.test(value)) {
    const shown = raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
    throw new InputError(
      `input '${name}' must be the GitOps commit SHA to wait for (7 to 64 hex digits), e.g. \${{ steps.commit.outputs.commit-sha }} (got '${shown}')`,
    );
  }
  return value;
}

/** Whether a revision Argo CD reports is the commit we wait for. */
export function isRevision(reported: string | undefined, wanted: string): boolean {
  if (!reported) return false;
  const r = reported.toLowerCase();
  return wanted.length >= r.length ? wanted === r : r.startsWith(wanted);
}
