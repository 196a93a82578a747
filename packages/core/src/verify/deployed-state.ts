import { InputError } from '../errors/errors.js';
import { imagesIn, runningDigest } from '../promote/running-image.js';
import { parseImageReference } from '../registry/reference.js';
import { SOURCE_COMMIT_ANNOTATION, SOURCE_REPOSITORY_ANNOTATION, VERSION_ANNOTATION } from '../render/provenance.js';
import { manifestDocuments } from '../yaml/manifest-files.js';

/**
 * What a deployed directory says about the render that produced it: the
 * provenance annotations render wrote on every object and the image its
 * workloads pin. Rendering the source again with exactly these gives the
 * same bytes when nothing else changed, which is what makes an unchanged
 * source show zero drift although every deploy has its own version, commit
 * and digest.
 */
export interface DeployedState {
  /** `gitops-actions.io/version`; '' when no object carries one. */
  version: string;
  /** `gitops-actions.io/source-repository`, e.g. https://github.com/acme/verity-api; ''. */
  sourceRepository: string;
  /** `gitops-actions.io/source-commit`; ''. */
  sourceCommit: string;
  /** How the workloads run the app's image: by digest, or by tag; undefined when none runs it (or the app has no image). */
  image: { digest: string } | { tag: string } | undefined;
  /** Where the directory disagrees with itself (a hand edit of one object's annotation or image): the majority is used, the rest shows as drift. */
  notes: string[];
}

/** The value most objects carry (ties: the first in sort order); '' for none. */
export function mostCommon(values: readonly string[]): string {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = '';
  let bestCount = 0;
  for (const [value, count] of [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (count > bestCount) [best, bestCount] = [value, count];
  }
  return best;
}

/** Every object's metadata.annotations in the directory's YAML files; links are never followed, unreadable files skipped (they show as drift anyway). */
function annotationsIn(dir: string): Record<string, unknown>[] {
  return manifestDocuments(dir).map((d) => {
    const annotations = (d as { metadata?: { annotations?: unknown } } | null)?.metadata?.annotations;
    return annotations !== null && typeof annotations === 'object' ? (annotations as Record<string, unknown>) : {};
  });
}

function annotation(all: readonly Record<string, unknown>[], key: string, notes: string[]): string {
  const values = all.map((a) => a[key]).filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim());
  const chosen = mostCommon(values);
  const distinct = new Set(values);
  if (distinct.size > 1) notes.push(`the objects carry ${distinct.size} values of ${key} (${[...distinct].sort().join(', ')}): rendering with ${chosen}, the one most carry`);
  return chosen;
}

/** The image: `runningDigest` (the promotion's reading) when the workloads pin a digest; the tag when they run one; the majority when they disagree. */
function deployedImage(dir: string, repository: string, where: string, notes: string[]): DeployedState['image'] {
  const wanted = parseImageReference(repository, 'the image');
  const refs = imagesIn(dir).flatMap((image) => {
    try {
      const ref = parseImageReference(image, 'an image in the manifests');
      return ref.registry === wanted.registry && ref.repository === wanted.repository ? [ref] : [];
    } catch {
      return [];
    }
  });
  if (refs.length === 0) return undefined;
  const digests = refs.flatMap((r) => (r.digest ? [r.digest] : []));
  if (digests.length === 0) return { tag: mostCommon(refs.map((r) => r.tag ?? '')) };
  try {
    return { digest: runningDigest(dir, repository, where) };
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const digest = mostCommon(digests);
    notes.push(`the workloads run ${repository} at ${new Set(digests).size} digests: rendering with ${digest}, the one most pin`);
    return { digest };
  }
}

/** Reads the deployed directory `dir` (`where` names it in messages); `imageRepository` is gitops.yaml's `image`, '' without one. */
export function readDeployedState(dir: string, imageRepository: string, where: string): DeployedState {
  const notes: string[] = [];
  const all = annotationsIn(dir);
  return {
    version: annotation(all, VERSION_ANNOTATION, notes),
    sourceRepository: annotation(all, SOURCE_REPOSITORY_ANNOTATION, notes),
    sourceCommit: annotation(all, SOURCE_COMMIT_ANNOTATION, notes),
    image: imageRepository ? deployedImage(dir, imageRepository, where, notes) : undefined,
    notes,
  };
}
