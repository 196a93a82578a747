import type { Pattern } from './schema-dsl.js';

/**
 * The Kubernetes name grammars the values use, written so the same regular
 * expression works in our validator and in an editor's JSON Schema engine
 * (ECMA-262, lengths folded into the expression where the API server limits them).
 */

const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';

export const DNS_LABEL: Pattern = {
  regex: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
  what: "a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)",
  short: 'DNS-1123 label',
  example: 'verity-api',
};

export const DNS_SUBDOMAIN: Pattern = {
  regex: `^(?=.{1,253}$)${LABEL}(\\.${LABEL})*$`,
  what: "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)",
  short: 'DNS-1123 subdomain',
  example: 'verity-api-settings',
};

/** IANA_SVC_NAME: Service ports, probes and ServiceMonitors refer to container ports by it. */
export const PORT_NAME: Pattern = {
  regex: '^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$',
  what: "a port name (at most 15 lower-case letters, digits and single '-', with at least one letter)",
  short: 'port name',
  example: 'http',
};

export const QUALIFIED_NAME: Pattern = {
  regex: `^(${LABEL}(\\.${LABEL})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`,
  what: "a label or annotation key ([prefix/]name, the name at most 63 letters, digits, '-', '_' or '.')",
  short: 'label key',
  example: 'app.kubernetes.io/component',
};

export const LABEL_VALUE: Pattern = {
  regex: '^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$',
  what: "a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)",
  short: 'label value',
  example: 'backend',
};

export const ENV_NAME: Pattern = {
  regex: '^[-._a-zA-Z][-._a-zA-Z0-9]*$',
  what: "an environment variable name (letters, digits, '_', '-' and '.', not starting with a digit)",
  short: 'variable name',
  example: 'LOG_LEVEL',
};

export const CONFIG_KEY: Pattern = {
  regex: '^[-._a-zA-Z0-9]{1,253}$',
  what: "a ConfigMap key (letters, digits, '-', '_' and '.')",
  short: 'ConfigMap key',
  example: 'application.yaml',
};

export const ABSOLUTE_PATH: Pattern = { regex: '^/', what: "an absolute path (starting with '/')", short: 'absolute path', example: '/etc/verity' };

export const RELATIVE_PATH: Pattern = {
  regex: '^(?!/)(?!\\.\\.(/|$))(?!.*/\\.\\.(/|$)).+$',
  what: "a relative path without '..'",
  short: 'relative path',
  example: 'config/application.yaml',
};

export const HTTP_PATH: Pattern = { regex: '^/', what: "an HTTP path (starting with '/')", short: 'HTTP path', example: '/healthz' };

export const HOSTNAME: Pattern = {
  regex: `^(\\*\\.)?${LABEL}(\\.${LABEL})*$`,
  what: "a host name (lower-case DNS name, optionally starting with '*.')",
  short: 'host name',
  example: 'api.example.com',
};

export const QUANTITY: Pattern = {
  regex: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$',
  what: 'a quantity like 250m, 0.5, 512Mi or 2Gi',
  short: 'quantity',
  example: '512Mi',
};

export const PERCENT: Pattern = { regex: '^[0-9]+%$', what: 'a percentage like 25%', short: 'percentage', example: '25%' };

export const RESOURCE_NAME: Pattern = {
  regex: `^(cpu|memory|ephemeral-storage|hugepages-[0-9]+[KMG]i|${LABEL}(\\.${LABEL})*/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$`,
  what: 'a resource name (cpu, memory, ephemeral-storage, hugepages-<size> or <domain>/<name>)',
  short: 'resource name',
  example: 'memory',
};

export const CAPABILITY: Pattern = {
  regex: '^(?!CAP_)[A-Z][A-Z_]*$',
  what: 'a Linux capability in upper case without the CAP_ prefix',
  short: 'capability',
  example: 'NET_BIND_SERVICE',
};

/** The Prometheus operator's Duration. */
export const DURATION: Pattern = {
  regex: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
  what: 'a duration like 30s, 1m or 1m30s',
  short: 'duration',
  example: '30s',
};

export const CRON_SCHEDULE: Pattern = {
  regex: '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\S+( \\S+){4})$',
  what: "a cron schedule of five fields separated by single spaces (no TZ= prefix: use 'timeZone') or @hourly, @daily, …",
  short: 'cron schedule',
  example: '0 3 * * *',
};

export const TIME_ZONE: Pattern = {
  regex: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
  what: 'an IANA time zone name',
  short: 'time zone',
  example: 'Europe/Berlin',
};

export const CIDR: Pattern = { regex: '^[0-9a-fA-F:.]+/[0-9]{1,3}$', what: 'a CIDR range', short: 'CIDR', example: '10.0.0.0/8' };

/** Loose on purpose: the reference grammar is checked in full (registry/reference.ts) after this. */
export const IMAGE_REFERENCE: Pattern = {
  regex: '^\\S+$',
  what: 'an image reference without spaces',
  short: 'image reference',
  example: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
};

export function matches(pattern: Pattern, text: string): boolean {
  return compiled(pattern).test(text);
}

const cache = new Map<string, RegExp>();
function compiled(pattern: Pattern): RegExp {
  let re = cache.get(pattern.regex);
  if (!re) {
    re = new RegExp(pattern.regex, 'u');
    cache.set(pattern.regex, re);
  }
  return re;
}
