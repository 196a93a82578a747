import { DNS_LABEL, matches, PORT_NAME } from '../schema/k8s-patterns.js';

/**
 * ECS names allow upper case, '_' and 255 characters; Kubernetes names are
 * DNS-1123 labels. The closest label: lower case, runs of anything else as
 * one '-', trimmed to 63. Empty when nothing usable is left.
 */
export function dnsLabel(name: string, max = 63): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, max)
    .replace(/^-+|-+$/g, '');
}

/** A name unique among `taken`, from `wanted` (`-2`, `-3`, … on a clash); added to `taken`. */
export function uniqueName(wanted: string, taken: Set<string>, max = 63): string {
  let name = wanted;
  for (let n = 2; taken.has(name); n += 1) name = `${wanted.slice(0, max - String(n).length - 1)}-${n}`;
  taken.add(name);
  return name;
}

/**
 * A port name (IANA_SVC_NAME: at most 15 characters, a letter among them):
 * the ECS port mapping's own name when it fits, else one from the protocol
 * and number (`http`, `http-8081`, `udp-8125`).
 */
export function portName(ecsName: string | undefined, containerPort: number, protocol: string, appProtocol: string | undefined, taken: Set<string>): string {
  const candidates: string[] = [];
  if (ecsName) candidates.push(dnsLabel(ecsName, 15));
  const base = protocol === 'UDP' ? 'udp' : appProtocol === 'grpc' ? 'grpc' : 'http';
  candidates.push(base, `${base}-${containerPort}`, `port-${containerPort}`);
  for (const c of candidates) {
    if (c && matches(PORT_NAME, c) && !taken.has(c)) {
      taken.add(c);
      return c;
    }
  }
  return uniqueName(`p${containerPort}`, taken, 15);
}

export function isDnsLabel(name: string): boolean {
  return matches(DNS_LABEL, name);
}
