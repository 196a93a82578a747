import { isForeignLayer, type Descriptor } from './manifest.js';
import { RegistryError } from './registry-error.js';
import type { Manifest, RegistryClient } from './registry-client.js';

/**
 * Moving images between tags, repositories and registries by manifest, so
 * the digest that was tested is the digest that ships. A retag moves no layer
 * bytes at all; a copy within a registry mounts blobs; only a copy between
 * registries streams blobs, from source response to destination request,
 * never through disk.
 */

export interface RetagResult {
  digest: string;
  mediaType: string;
  tags: string[];
}

/**
 * Points each of `newTags` at the manifest `sourceRef` names, by uploading
 * the very same manifest bytes: the digest stays, and a multi-platform index
 * stays an index (its children are already in the repository).
 */
export async function retag(client: RegistryClient, repository: string, sourceRef: string, newTags: readonly string[]): Promise<RetagResult> {
  client.willPushTo(repository);
  const manifest = await client.getManifest(repository, sourceRef);
  const tags = [...new Set(newTags)];
  for (const tag of tags) {
    const digest = await client.putManifest(repository, tag, manifest.bytes, manifest.mediaType);
    if (digest !== manifest.digest) throw new RegistryError(client.registry, `retagging ${repository}:${tag} produced ${digest}, not ${manifest.digest}`);
  }
  return { digest: manifest.digest, mediaType: manifest.mediaType, tags };
}

export interface CopySource {
  client: RegistryClient;
  repository: string;
  /** Tag or digest. */
  ref: string;
}

export interface CopyDestination {
  client: RegistryClient;
  repository: string;
  /** Tags to point at the copied manifest; none stores it by digest only. */
  tags: readonly string[];
}

export interface CopyOptions {
  /** Blobs in flight at once. Default 4. */
  concurrency?: number;
  /** Attempts per streamed blob between registries (a stream cannot be retried by the transport). Default 3. */
  blobAttempts?: number;
  log?: (message: string) => void;
}

export interface CopyResult {
  digest: string;
  mediaType: string;
  tags: string[];
  /** Blobs linked from the source repository by the registry: no bytes moved. */
  mounted: number;
  /** Blobs streamed from source to destination. */
  copied: number;
  /** Blobs the destination already had, or foreign layers that are never pushed. */
  skipped: number;
  /** Bytes streamed (the sum of `copied` blob sizes). */
  bytesCopied: number;
  /** Manifests stored under their digest (children of an index). */
  manifests: number;
  /** Child manifests the destination already had, with everything below them. */
  manifestsSkipped: number;
}

/**
 * Copies an image, every platform of it, and tags it. The same registry
 * mounts each blob from the source repository; another registry gets each
 * blob it lacks streamed across. Children go before the manifests that name
 * them, blobs before their manifest, as registries require.
 */
export async function copyImage(src: CopySource, dst: CopyDestination, options: CopyOptions = {}): Promise<CopyResult> {
  const sameRegistry = src.client.baseUrl.origin === dst.client.baseUrl.origin;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const blobAttempts = Math.max(1, options.blobAttempts ?? 3);
  const result: CopyResult = { digest: '', mediaType: '', tags: [...new Set(dst.tags)], mounted: 0, copied: 0, skipped: 0, bytesCopied: 0, manifests: 0, manifestsSkipped: 0 };
  const blobs = new Map<string, Promise<void>>();

  const copyBlob = async (d: Descriptor): Promise<void> => {
    if (isForeignLayer(d)) {
      result.skipped++;
      return;
    }
    if (await dst.client.blobExists(dst.repository, d.digest)) {
      result.skipped++;
      return;
    }
    if (sameRegistry && src.repository !== dst.repository && (await dst.client.mountBlob(dst.repository, d.digest, src.repository))) {
      result.mounted++;
      return;
    }
    for (let attempt = 1; ; attempt++) {
      try {
        const { stream } = await src.client.getBlobStream(src.repository, d.digest, d.size);
        await dst.client.uploadBlob(dst.repository, d.digest, d.size, stream);
        break;
      } catch (error) {
        if (attempt >= blobAttempts || !(error instanceof RegistryError) || (error.status !== undefined && error.status < 500)) throw error;
        options.log?.(`copying blob ${d.digest} failed (${error.message}); trying again (attempt ${attempt + 1} of ${blobAttempts})`);
      }
    }
    result.copied++;
    result.bytesCopied += d.size;
  };

  const blobOnce = (d: Descriptor): Promise<void> => {
    let pending = blobs.get(d.digest);
    if (!pending) {
      pending = copyBlob(d);
      blobs.set(d.digest, pending);
    }
    return pending;
  };

  const copyTree = async (manifest: Manifest, what: string): Promise<void> => {
    const parsed = src.client.parse(manifest.bytes, manifest.mediaType, what);
    if (parsed.kind === 'image') {
      await inParallel([parsed.config, ...parsed.layers], concurrency, blobOnce);
      return;
    }
    for (const child of parsed.manifests) {
      if (await dst.client.headManifest(dst.repository, child.digest)) {
        result.manifestsSkipped++;
        continue;
      }
      const childManifest = await src.client.getManifest(src.repository, child.digest);
      await copyTree(childManifest, `manifest ${src.repository}@${child.digest}`);
      await dst.client.putManifest(dst.repository, child.digest, childManifest.bytes, childManifest.mediaType);
      result.manifests++;
    }
  };

  dst.client.willPushTo(dst.repository);
  const top = await src.client.getManifest(src.repository, src.ref);
  result.digest = top.digest;
  result.mediaType = top.mediaType;
  await copyTree(top, `manifest ${src.repository}:${src.ref}`);
  const references = result.tags.length ? result.tags : [top.digest];
  for (const reference of references) {
    const digest = await dst.client.putManifest(dst.repository, reference, top.bytes, top.mediaType);
    if (digest !== top.digest) throw new RegistryError(dst.client.registry, `copying to ${dst.repository}:${reference} produced ${digest}, not ${top.digest}`);
  }
  options.log?.(describeCopy(src, dst, result));
  return result;
}

/** One line for the log: what moved and what did not. */
export function describeCopy(src: CopySource, dst: CopyDestination, r: CopyResult): string {
  const from = `${src.client.registry}/${src.repository}:${src.ref}`;
  const to = `${dst.client.registry}/${dst.repository}`;
  const counts = `${r.mounted} blobs mounted, ${r.copied} copied (${r.bytesCopied} bytes), ${r.skipped} already there`;
  const moved = r.copied === 0 ? ': no layer bytes moved' : '';
  return `copied ${from} to ${to} as ${r.digest} (${counts})${moved}`;
}

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const failures: unknown[] = [];
  const worker = async () => {
    while (next < items.length && failures.length === 0) {
      const item = items[next++]!;
      try {
        await fn(item);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length) throw failures[0];
}
