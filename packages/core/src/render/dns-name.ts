import { InputError } from '../errors/errors.js';

const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/**
 * App and environment names become directory names in the GitOps repo and
 * Kubernetes object names, so they must be DNS-1123 labels: that also rules
 * out `..`, `/` and anything else that could steer a write elsewhere.
 */
export function assertDnsLabel(name: string, what: string): void {
  if (DNS_1123_LABEL.test(name) && name.length <= 63) return;
  let why: string;
  if (name === '') why = 'it is empty';
  else if (name.length > 63) why = `it has ${name.length} characters, at most 63 are allowed`;
  else if (name.includes('/') || name.includes('..')) why = "it contains '/' or '..'";
  else if (/[A-Z]/.test(name)) why = `it has upper-case letters (use '${name.toLowerCase()}')`;
  else if (/^-|-$/.test(name)) why = "it starts or ends with '-'";
  else why = "only lower-case letters, digits and '-' are allowed";
  throw new InputError(`${what} must be a DNS-1123 label like verity-api (got '${name}'): ${why}`);
}
