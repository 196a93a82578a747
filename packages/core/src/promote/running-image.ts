import { InputError } from '../errors/errors.js';
import { parseImageReference } from '../registry/reference.js';
import { manifestDocuments } from '../yaml/manifest-files.js';

/** Where pod specs sit in the workloads a rendered directory holds. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

/** Every container image (init and ephemeral containers too) of every workload in the directory. Links are never followed. */
export function imagesIn(dir: string): string[] {
  const images: string[] = [];
  for (const document of manifestDocuments(dir)) {
    const kind = at(document, ['kind']);
    const specPath = typeof kind === 'string' ? POD_SPEC_PATHS[kind] : undefined;
    if (!specPath) continue;
    for (const list of ['initContainers', 'containers', 'ephemeralContainers']) {
      const containers = at(document, [...specPath, list]);
      if (!Array.isArray(containers)) continue;
      for (const c of containers) if (typeof at(c, ['image']) === 'string') images.push(at(c, ['image']) as string);
    }
  }
  return images;
}

/**
 * The digest the directory runs `repository` (e.g. `ghcr.io/acme/verity-api`) at: promotion
 * moves exactly that image on, so it must be pinned by digest, and to one digest only.
 */
export function runningDigest(dir: string, repository: string, where: string): string {
  const wanted = parseImageReference(repository, 'the image');
  const key = `${wanted.registry}/${wanted.repository}`;
  const pinned = new Set<string>();
  const unpinned = new Set<string>();
  for (const image of imagesIn(dir)) {
    let ref;
    try {
      ref = parseImageReference(image, 'an image in the manifests');
    } catch {
      continue;
    }
    if (`${ref.registry}/${ref.repository}` !== key) continue;
    if (ref.digest) pinned.add(ref.digest);
    else unpinned.add(image);
  }
  if (pinned.size === 1) return [...pinned][0]!;
  if (pinned.size > 1) {
    throw new InputError(`${where} runs ${repository} at ${pinned.size} digests (${[...pinned].map((d) => d.slice(0, 19)).join(', ')}); promotion needs one image to move on`);
  }
  if (unpinned.size > 0) {
    throw new InputError(
      `${where} runs ${[...unpinned].join(', ')}, a tag, not a digest: promotion moves the exact image on, so deploy it pinned (render with 'image-digest') first`,
    );
  }
  throw new InputError(`${where} has no workload running ${repository}`);
}
