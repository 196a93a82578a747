import { InputError } from '../errors/errors.js';
import { copyImage, retag } from './copy.js';
import { formatImageReference, isImageTag, manifestReference, parseImageReference, type ImageReference } from './reference.js';
import { RegistryClients, type RegistryClientsOptions } from './registry-clients.js';

export interface RetagImageOptions {
  /** The image to retag, `<registry>/<repo>:<tag>` or `@sha256:…`. */
  source: string;
  /** Short tags (same repository) or full references (another repository or registry). */
  targets: readonly string[];
  insecure: boolean;
  /** The docker config.json to read credentials from. */
  dockerConfig: string | undefined;
  /** Credentials given for one registry (a step's inputs), over the docker config's for it. */
  login?: RegistryClientsOptions['login'];
  log: (line: string) => void;
  onSecret?: (value: string) => void;
}

export interface RetagImageResult {
  digest: string;
  /** Every reference now pointing at the digest. */
  references: string[];
  /** Blob counts over all copies: mounted, copied, already present. */
  mounted: number;
  copied: number;
  skipped: number;
}

/**
 * Points new tags, repositories or registries at the image `source` names,
 * without rebuilding and without moving layers where the registry can avoid
 * it: a tag in the same repository is one manifest PUT, another repository of
 * the same registry mounts blobs, another registry streams only missing blobs.
 */
export async function retagImage(options: RetagImageOptions): Promise<RetagImageResult> {
  const source = parseImageReference(options.source, 'the source image');
  const groups = new Map<string, { ref: ImageReference; tags: string[] }>();
  for (const target of options.targets) {
    const ref: ImageReference = isImageTag(target)
      ? { registry: source.registry, repository: source.repository, tag: target }
      : parseImageReference(target, `target '${target}'`);
    if (ref.digest !== undefined || ref.tag === undefined) throw new InputError(`target '${target}' must be a tag or end in one (':1.4.0'), without a digest`);
    const key = `${ref.registry}/${ref.repository}`;
    const group = groups.get(key) ?? { ref, tags: [] };
    group.tags.push(ref.tag);
    groups.set(key, group);
  }
  if (groups.size === 0) throw new InputError('give at least one new tag or reference');

  const clients = new RegistryClients({
    insecure: options.insecure,
    dockerConfig: options.dockerConfig,
    ...(options.login ? { login: options.login } : {}),
    log: options.log,
    ...(options.onSecret ? { onSecret: options.onSecret } : {}),
  });
  const client = (registry: string) => clients.get(registry);

  const result: RetagImageResult = { digest: '', references: [], mounted: 0, copied: 0, skipped: 0 };
  try {
    for (const { ref, tags } of groups.values()) {
      const sameRepository = ref.registry === source.registry && ref.repository === source.repository;
      if (sameRepository) {
        const r = await retag(client(source.registry), source.repository, manifestReference(source), tags);
        result.digest = r.digest;
      } else {
        const r = await copyImage(
          { client: client(source.registry), repository: source.repository, ref: manifestReference(source) },
          { client: client(ref.registry), repository: ref.repository, tags },
          { log: options.log },
        );
        result.digest = r.digest;
        result.mounted += r.mounted;
        result.copied += r.copied;
        result.skipped += r.skipped;
      }
      for (const tag of tags) result.references.push(formatImageReference({ registry: ref.registry, repository: ref.repository, tag }));
    }
  } finally {
    clients.close();
  }
  return result;
}
