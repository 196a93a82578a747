/**
 * The JSON paths problems are reported at: `containers[0].ports[1].name`,
 * `environments.staging.gitops`, `labels["app.kubernetes.io/name"]`. Keys
 * that are not plain words are JSON-quoted, so a path can be read back into
 * its segments exactly (to find where in the YAML text it was written).
 */

export type PathSegment = string | number;

export function childPath(parent: string, key: PathSegment): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) return parent ? `${parent}.${key}` : key;
  return `${parent}[${JSON.stringify(key)}]`;
}

export function pathOf(segments: readonly PathSegment[]): string {
  return segments.reduce<string>((path, segment) => childPath(path, segment), '');
}

/**
 * The segments of a path childPath wrote; undefined for text it cannot have
 * written (a caller's own wording such as `values`), which then has no place.
 */
export function pathSegments(path: string): PathSegment[] | undefined {
  const segments: PathSegment[] = [];
  let rest = path;
  const word = /^[A-Za-z_][A-Za-z0-9_-]*/;
  while (rest) {
    if (rest.startsWith('[')) {
      const index = /^\[(\d+)\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        rest = rest.slice(index[0].length);
        continue;
      }
      const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
      if (!quoted) return undefined;
      segments.push(JSON.parse(quoted[1]!) as string);
      rest = rest.slice(quoted[0].length);
      continue;
    }
    if (segments.length > 0) {
      if (!rest.startsWith('.')) return undefined;
      rest = rest.slice(1);
    }
    const key = word.exec(rest);
    if (!key) return undefined;
    segments.push(key[0]);
    rest = rest.slice(key[0].length);
  }
  return segments;
}
