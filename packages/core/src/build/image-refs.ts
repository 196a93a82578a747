import { InputError } from '../errors/errors.js';
import { assertImageTag, formatImageReference, parseImageReference } from '../registry/reference.js';

export interface ResolvedImage {
  /** `<registry>/<repository>` as pushed, e.g. ghcr.io/acme/verity-api or docker.io/library/app. */
  name: string;
  registry: string;
}

/** The `image` input as a repository: no tag or digest, GHCR owners lower-cased (logged). */
export function resolveImage(image: string, what: string, log: (line: string) => void): ResolvedImage {
  const ref = parseImageReference(image, what, { log });
  if (ref.tag !== undefined || ref.digest !== undefined) {
    throw new InputError(`${what} must name the repository only, without tag or digest (got '${image}'); tags go in input 'tags'`);
  }
  return { name: formatImageReference(ref), registry: ref.registry };
}

/**
 * Full references from short tags (`1.4.0`) or references of the same image
 * (`ghcr.io/acme/app:1.4.0`, as the version action's image-tags gives them).
 */
export function resolveTags(image: ResolvedImage, tags: readonly string[], what: string, log: (line: string) => void): string[] {
  const refs: string[] = [];
  for (const entry of tags) {
    let tag = entry;
    if (entry.includes('/') || entry.includes(':') || entry.includes('@')) {
      const ref = parseImageReference(entry, `${what}: '${entry}'`, { log });
      const repository = formatImageReference({ registry: ref.registry, repository: ref.repository });
      if (ref.digest !== undefined || ref.tag === undefined) {
        throw new InputError(`${what}: '${entry}' must end in a tag (':1.4.0'), without a digest`);
      }
      if (repository !== image.name) {
        throw new InputError(`${what}: '${entry}' is not a tag of input 'image' (${image.name}); give a short tag or a reference to ${image.name}`);
      }
      tag = ref.tag;
    } else {
      assertImageTag(tag, `${what}: '${tag}'`);
    }
    const ref = `${image.name}:${tag}`;
    if (!refs.includes(ref)) refs.push(ref);
  }
  return refs;
}
