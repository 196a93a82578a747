import type { EventsConfig } from '@actions/workflow-parser/model/workflow-template';

/** A branch, tag or path filter pattern of `on.<event>` as a regular expression. */
export function filterPattern(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        out += '.*';
        i++;
      } else out += '[^/]*';
    } else if (c === '?' || c === '+') {
      // Zero-or-one and one-or-more of the preceding character, as in the filter cheat sheet.
      out += c;
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += pattern.slice(i, end + 1);
        i = end;
      }
    } else out += c.replace(/[.^$|(){}\\/]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** Later patterns win; a `!pattern` takes back what earlier ones matched. */
export function matchesFilters(value: string, patterns: string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    const negated = pattern.startsWith('!');
    if (filterPattern(negated ? pattern.slice(1) : pattern).test(value)) matched = !negated;
  }
  return matched;
}

interface PushFilters {
  branches?: string[];
  'branches-ignore'?: string[];
  tags?: string[];
  'tags-ignore'?: string[];
  paths?: string[];
  'paths-ignore'?: string[];
}

export type TriggerDecision = { triggered: true } | { triggered: false; reason: string };

/**
 * Whether a push starts this workflow: the branch or tag filters, then the path filters
 * against the files the push changed.
 */
export function pushTriggers(filters: PushFilters, ref: string, changedFiles: () => string[]): TriggerDecision {
  const branch = /^refs\/heads\/(.+)$/.exec(ref)?.[1];
  const tag = /^refs\/tags\/(.+)$/.exec(ref)?.[1];
  const refFilter = (name: string, kind: 'branches' | 'tags', other: 'branches' | 'tags'): TriggerDecision => {
    const include = filters[kind];
    const ignore = filters[`${kind}-ignore`];
    if (include) return matchesFilters(name, include) ? { triggered: true } : { triggered: false, reason: `${kind} filter [${include.join(', ')}] does not match ${name}` };
    if (ignore) return matchesFilters(name, ignore) ? { triggered: false, reason: `${kind}-ignore [${ignore.join(', ')}] matches ${name}` } : { triggered: true };
    if (filters[other] || filters[`${other}-ignore`]) return { triggered: false, reason: `only ${other} filters are set, and ${ref} is not one of the ${other}` };
    return { triggered: true };
  };
  const byRef = branch !== undefined ? refFilter(branch, 'branches', 'tags') : tag !== undefined ? refFilter(tag, 'tags', 'branches') : { triggered: true as const };
  if (!byRef.triggered) return byRef;
  if (filters.paths) {
    const files = changedFiles();
    if (!files.some((f) => matchesFilters(f, filters.paths!))) return { triggered: false, reason: `no changed file matches paths [${filters.paths.join(', ')}]` };
  }
  if (filters['paths-ignore']) {
    const files = changedFiles();
    if (files.every((f) => matchesFilters(f, filters['paths-ignore']!))) return { triggered: false, reason: `every changed file matches paths-ignore [${filters['paths-ignore'].join(', ')}]` };
  }
  return { triggered: true };
}

export function listensTo(events: EventsConfig | undefined, name: string): boolean {
  return events !== undefined && Object.prototype.hasOwnProperty.call(events, name);
}
