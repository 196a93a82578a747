import { InputError } from '../../errors/errors.js';

/** A Kubernetes minor release, the unit in which APIs come and go. */
export interface KubeVersion {
  readonly major: 1;
  readonly minor: number;
  /** `1.32`, whatever spelling it was given in. */
  readonly text: string;
}

/** The availability table (api-availability.ts) starts with the removals of 1.16. */
export const OLDEST_KUBE_MINOR = 16;

/**
 * `1.32`, `v1.32`, `1.32.3`, and what `kubectl version` prints for a managed
 * cluster (`v1.32.3-eks-bc803b4`). Only the minor matters: APIs are added and
 * removed in minor releases.
 */
export function parseKubeVersion(text: string, where = "input 'kube-version'"): KubeVersion {
  const trimmed = text.trim();
  const m = /^v?(\d+)\.(\d+)(?:\.\d+(?:[-+][0-9A-Za-z.+-]+)?)?$/.exec(trimmed);
  const expected = 'a Kubernetes version such as 1.32, v1.32 or 1.32.3';
  if (!m) throw new InputError(`${where} must be ${expected} (got '${text}')`);
  const major = Number(m[1]);
  const minor = Number(m[2]);
  if (major !== 1) throw new InputError(`${where} must be ${expected}: every Kubernetes release so far is 1.x (got '${text}')`);
  if (minor < OLDEST_KUBE_MINOR || minor > 99 || /^0\d/.test(m[2]!)) {
    throw new InputError(`${where} must be ${expected}, 1.${OLDEST_KUBE_MINOR} or later (got '${text}')`);
  }
  return { major: 1, minor, text: `1.${minor}` };
}
