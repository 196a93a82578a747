import { InputError } from '../errors/errors.js';
import { isDigest } from './reference.js';

/**
 * The four manifest formats a registry serves for images today, and what we
 * read from them: an index lists per-platform manifests, a manifest names a
 * config blob and layers. Parsing is defensive: the bytes come from a server.
 */

export const MEDIA_TYPE = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;

/** Every format we understand, preferred first; sent as Accept so the registry never down-converts to schema 1. */
export const MANIFEST_ACCEPT: readonly string[] = [MEDIA_TYPE.ociIndex, MEDIA_TYPE.ociManifest, MEDIA_TYPE.dockerManifestList, MEDIA_TYPE.dockerManifest];

/** distribution's own limit for a manifest body. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  /** Non-distributable ("foreign") layers live at these URLs, not in the registry. */
  urls?: string[];
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | { kind: 'index'; mediaType: string; manifests: Descriptor[] }
  | { kind: 'image'; mediaType: string; config: Descriptor; layers: Descriptor[] };

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MEDIA_TYPE.ociIndex || mediaType === MEDIA_TYPE.dockerManifestList;
}

/** Reads a manifest; `contentType` is the response's, used when the body names no mediaType (OCI allows that). */
export function parseManifest(bytes: Buffer, contentType: string | undefined, what: string): ParsedManifest {
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new Error(`${what} is not JSON`);
  }
  if (!isObject(json)) throw new Error(`${what} is not a JSON object`);
  const declared = typeof json.mediaType === 'string' ? json.mediaType : '';
  const mediaType = declared || baseMediaType(contentType) || (Array.isArray(json.manifests) ? MEDIA_TYPE.ociIndex : MEDIA_TYPE.ociManifest);
  if (json.schemaVersion === 1 || mediaType.startsWith('application/vnd.docker.distribution.manifest.v1')) {
    throw new Error(`${what} is a Docker schema 1 manifest, which is deprecated and not supported; push the image again with a current docker or buildah`);
  }
  if (isIndexMediaType(mediaType) || Array.isArray(json.manifests)) {
    if (!Array.isArray(json.manifests)) throw new Error(`${what} is an index without a manifests list`);
    return { kind: 'index', mediaType, manifests: json.manifests.map((d, i) => descriptor(d, `${what} manifests[${i}]`)) };
  }
  if (!isObject(json.config)) throw new Error(`${what} has no config descriptor`);
  const layers = Array.isArray(json.layers) ? json.layers : [];
  return {
    kind: 'image',
    mediaType,
    config: descriptor(json.config, `${what} config`),
    layers: layers.map((d, i) => descriptor(d, `${what} layers[${i}]`)),
  };
}

/** `application/vnd.oci.image.index.v1+json; charset=utf-8` → the type alone. */
export function baseMediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase();
}

function descriptor(value: unknown, what: string): Descriptor {
  if (!isObject(value)) throw new Error(`${what} is not an object`);
  const { mediaType, digest, size } = value;
  if (typeof digest !== 'string' || !isDigest(digest)) throw new Error(`${what} has an invalid digest`);
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw new Error(`${what} has an invalid size`);
  const d: Descriptor = { mediaType: typeof mediaType === 'string' ? mediaType : '', digest, size };
  if (isObject(value.platform) && typeof value.platform.os === 'string' && typeof value.platform.architecture === 'string') {
    d.platform = { os: value.platform.os, architecture: value.platform.architecture };
    if (typeof value.platform.variant === 'string') d.platform.variant = value.platform.variant;
  }
  if (Array.isArray(value.urls)) d.urls = value.urls.filter((u): u is string => typeof u === 'string');
  if (isObject(value.annotations)) {
    d.annotations = Object.fromEntries(Object.entries(value.annotations).filter((e): e is [string, string] => typeof e[1] === 'string'));
  }
  return d;
}

/** Layers that must not be pushed: their bytes live at `urls` (Windows base layers). */
export function isForeignLayer(d: Descriptor): boolean {
  return (d.urls?.length ?? 0) > 0 && /nondistributable|foreign/.test(d.mediaType);
}

export const DEFAULT_PLATFORM: Platform = { os: 'linux', architecture: 'amd64' };

/** `linux/arm64/v8` → {os, architecture, variant}; the label names the input in errors. */
export function parsePlatform(text: string, label: string): Platform {
  const parts = text.split('/');
  if (parts.length < 2 || parts.length > 3 || parts.some((p) => !/^[a-z0-9_.-]+$/.test(p))) {
    throw new InputError(`${label} must be a platform like linux/amd64 or linux/arm64/v8 (got '${text}')`);
  }
  return { os: parts[0]!, architecture: parts[1]!, ...(parts[2] ? { variant: parts[2] } : {}) };
}

export function formatPlatform(p: Platform): string {
  return [p.os, p.architecture, p.variant].filter(Boolean).join('/');
}

/**
 * The index entry for a platform. Attestation manifests (buildx's
 * `unknown/unknown` entries) never match. A requested variant must match; an
 * unrequested one matches any (arm64 images are often labelled v8).
 */
export function selectPlatform(manifests: readonly Descriptor[], wanted: Platform): Descriptor | undefined {
  const candidates = manifests.filter(
    (d) => d.platform && d.platform.os === wanted.os && d.platform.architecture === wanted.architecture && d.annotations?.['vnd.docker.reference.type'] !== 'attestation-manifest',
  );
  if (wanted.variant) return candidates.find((d) => d.platform?.variant === wanted.variant);
  return candidates.find((d) => !d.platform?.variant) ?? candidates[0];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
