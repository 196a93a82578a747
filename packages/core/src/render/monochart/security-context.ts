import type { MonochartContainer, MonochartValues } from './values-description.js';

type SecurityContext = NonNullable<MonochartContainer['securityContext']>;

/**
 * A container's securityContext: its own keys over the top-level
 * `securityContext` and its safe defaults (maps merge, lists replace), so a
 * container that adds NET_BIND_SERVICE still drops ALL.
 */
export function mergedSecurityContext(base: MonochartValues['securityContext'], own: SecurityContext | undefined): SecurityContext {
  const merged: SecurityContext = { ...base, ...(own ?? {}) };
  if (own?.capabilities) merged.capabilities = { ...base.capabilities, ...own.capabilities };
  return merged;
}
