/**
 * ECS resource units in Kubernetes quantities. ECS counts CPU in units (1024
 * to a vCPU) and memory in MiB; task-level sizes are also written as
 * `1 vCPU`, `0.25 vcpu`, `2 GB` or `2048`.
 */

/** 512 units → `500m`. Rounded to the millicore. */
export function cpuQuantity(units: number): string {
  const milli = Math.round((units * 1000) / 1024);
  return milli % 1000 === 0 ? String(milli / 1000) : `${milli}m`;
}

export function memoryQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${Math.round(mib)}Mi`;
}

/** A task-level cpu (`1024`, `1 vCPU`, `0.5 vcpu`) in units; undefined when unreadable. */
export function taskCpuUnits(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(vcpu)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2] ? Math.round(n * 1024) : n;
}

/** A task-level memory (`2048`, `2 GB`, `2GB`) in MiB; ECS reads GB as GiB. */
export function taskMemoryMib(value: unknown): number | undefined {
  if (typeof value === 'number') return value > 0 ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gb|mb)?\s*$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  return m[2]?.toLowerCase() === 'gb' ? Math.round(n * 1024) : n;
}

/** Docker/compose sizes (`512m`, `1g`, `1073741824`) in MiB. */
export function dockerSizeMib(value: unknown): number | undefined {
  if (typeof value === 'number') return value / (1024 * 1024);
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([bkmg])?b?\s*$/i.exec(value);
  if (!m) return undefined;
  const factor = { b: 1 / (1024 * 1024), k: 1 / 1024, m: 1, g: 1024 }[(m[2] ?? 'b').toLowerCase() as 'b' | 'k' | 'm' | 'g'];
  return Number(m[1]) * factor;
}

/** Compose/Docker durations (`30s`, `1m30s`, `500ms`) in whole seconds, at least 1. */
export function durationSeconds(value: unknown): number | undefined {
  if (typeof value === 'number') return Math.max(1, Math.round(value));
  if (typeof value !== 'string' || !/^(\d+(?:\.\d+)?(h|ms|m|s|us|ns))+$/.test(value.trim())) return undefined;
  let seconds = 0;
  for (const [, n, unit] of value.trim().matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|ns)/g)) {
    seconds += Number(n) * { h: 3600, m: 60, s: 1, ms: 0.001, us: 1e-6, ns: 1e-9 }[unit as 'h' | 'm' | 's' | 'ms' | 'us' | 'ns'];
  }
  return Math.max(1, Math.round(seconds));
}
