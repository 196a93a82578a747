import { isRevision } from './git-revision.js';

/**
 * Whether two commits carry the same desired state for one Application, as
 * Argo CD itself generates it: the answers of `GET
 * /api/v1/applications/{name}/manifests?revision=` at each commit, compared
 * as sets of objects. Each object is Argo CD's JSON string parsed and written
 * again with its keys in a stable order, so formatting, key order, comments
 * and the order of files or documents make no difference; any value that
 * differs does.
 *
 * The answer is text from the server: a body that is not the documented
 * shape, or an object nested beyond reason, is rejected with a
 * ManifestAnswerError instead of being guessed at.
 */

export interface ManifestObject {
  /** `Kind namespace/name`, for messages. */
  id: string;
  /** The object as JSON with sorted keys. */
  canonical: string;
}

/** One commit's manifests for the Application, sorted by id, then content. */
export type ManifestSet = readonly ManifestObject[];

export class ManifestAnswerError extends Error {}

/** Deeper than any Kubernetes object, CRD schemas included; a bound on the recursion below. */
const MAX_DEPTH = 200;
const MAX_ID = 120;
/** Objects named in a message; the rest are counted. */
const MAX_NAMED = 5;

/**
 * The objects of one manifests answer. The answer must say it is for the
 * commit asked about (`revision`, resolved to a full SHA): a server or proxy
 * that ignored `?revision=` would answer the same set for every commit, and
 * every commit would look equivalent.
 */
export function manifestSet(body: unknown, asked: string): ManifestSet {
  const answer = (body !== null && typeof body === 'object' && !Array.isArray(body) ? body : {}) as { manifests?: unknown; revision?: unknown };
  const revision = typeof answer.revision === 'string' ? answer.revision : '';
  if (!isRevision(revision, asked)) {
    throw new ManifestAnswerError(`Argo CD answered the manifests of ${revision ? `'${revision.slice(0, 40)}'` : 'no revision'} when asked for ${asked.slice(0, 12)}`);
  }
  // Argo CD leaves the list out (proto3 JSON) when the Application has no objects.
  if (answer.manifests === undefined) return [];
  if (!Array.isArray(answer.manifests)) throw new ManifestAnswerError("the manifests answer's 'manifests' is not a list");
  return answer.manifests.map(manifestObject).sort(byIdThenContent);
}

function manifestObject(text: unknown, index: number): ManifestObject {
  if (typeof text !== 'string') throw new ManifestAnswerError(`manifest ${index + 1} of the answer is not a JSON string`);
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch {
    throw new ManifestAnswerError(`manifest ${index + 1} of the answer is not valid JSON`);
  }
  return { id: objectId(value), canonical: canonicalJson(value) };
}

/** JSON with object keys sorted at every level: equal strings mean equal values. */
export function canonicalJson(value: unknown, depth = 0): string {
  if (depth > MAX_DEPTH) throw new ManifestAnswerError(`a manifest is nested deeper than ${MAX_DEPTH} levels`);
  if (Array.isArray(value)) return `[${value.map((v) => canonicalJson(v, depth + 1)).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key], depth + 1)}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function objectId(value: unknown): string {
  const object = (value ?? {}) as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
  const kind = typeof object.kind === 'string' ? object.kind : 'object';
  const name = typeof object.metadata?.name === 'string' ? object.metadata.name : '(no name)';
  const namespace = typeof object.metadata?.namespace === 'string' && object.metadata.namespace ? `${object.metadata.namespace}/` : '';
  return `${kind} ${namespace}${name}`.slice(0, MAX_ID);
}

function byIdThenContent(a: ManifestObject, b: ManifestObject): number {
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.canonical < b.canonical ? -1 : a.canonical > b.canonical ? 1 : 0;
}

export function sameManifests(ours: ManifestSet, theirs: ManifestSet): boolean {
  return ours.length === theirs.length && ours.every((o, i) => o.canonical === theirs[i]!.canonical);
}

/**
 * What differs, object by object, for a message: `Deployment verity-api
 * (changed)`, `Service web (only at 84b53f0d599c)`, `ConfigMap x (not at
 * 84b53f0d599c)`. At most five are named; [] when the sets are the same.
 */
export function manifestDifferences(ours: ManifestSet, theirs: ManifestSet, theirsLabel: string): string[] {
  const group = (set: ManifestSet) => {
    const byId = new Map<string, string[]>();
    for (const o of set) byId.set(o.id, [...(byId.get(o.id) ?? []), o.canonical]);
    return byId;
  };
  const mine = group(ours);
  const other = group(theirs);
  const ids = [...new Set([...mine.keys(), ...other.keys()])].sort();
  const out: string[] = [];
  for (const id of ids) {
    const a = mine.get(id);
    const b = other.get(id);
    if (!a) out.push(`${id} (only at ${theirsLabel})`);
    else if (!b) out.push(`${id} (not at ${theirsLabel})`);
    else if (a.join('\n') !== b.join('\n')) out.push(`${id} (changed)`);
  }
  return out.length > MAX_NAMED ? [...out.slice(0, MAX_NAMED), `${out.length - MAX_NAMED} more`] : out;
}
