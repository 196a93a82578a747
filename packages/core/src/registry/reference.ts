import { isIP } from 'node:net';
import { InputError } from '../errors/errors.js';

/**
 * Image references the way docker reads them:
 * `[registry[:port]/]repository[:tag][@algorithm:hex]`.
 *
 * The grammar is the distribution project's (github.com/distribution/reference);
 * this file owns it for the whole suite, the version step's tag checks included.
 */

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
const REGISTRY = new RegExp(`^${DOMAIN}$`);
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);
/** The algorithms we can verify; the spec allows others, which we refuse rather than trust blindly. */
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const NAME_MAX = 255;

export const DOCKER_HUB = 'docker.io';
/** Where Docker Hub's API answers; `docker.io` itself only redirects browsers. */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
export const GHCR = 'ghcr.io';

export interface ImageReference {
  /** The registry as written in references: `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000`. */
  registry: string;
  /** The repository inside it; `library/alpine` for Docker Hub's official images. */
  repository: string;
  tag?: string;
  digest?: string;
}

export interface ParseReferenceOptions {
  /**
   * Told when a ghcr.io repository was lower-cased. GHCR stores every name in
   * lower case but GitHub owners and repositories often are not
   * (`ghcr.io/${{ github.repository }}`), so there the fix is certain and we
   * apply it; any other registry gets an error that offers the lower-case form,
   * because there it could be a different repository.
   */
  log?: (message: string) => void;
}

/** `ghcr.io/Acme/App:1` → `ghcr.io/acme/app:1`; other registries unchanged. */
export function lowerCaseForGhcr(reference: string): string {
  const at = reference.indexOf('@');
  const name = at < 0 ? reference : reference.slice(0, at);
  const rest = at < 0 ? '' : reference.slice(at);
  const slash = name.indexOf('/');
  if (slash < 0 || name.slice(0, slash).toLowerCase() !== GHCR) return reference;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.indexOf(':', lastSlash);
  const path = colon < 0 ? name.slice(slash + 1) : name.slice(slash + 1, colon);
  const tag = colon < 0 ? '' : name.slice(colon);
  return `${GHCR}/${path.toLowerCase()}${tag}${rest}`;
}

/**
 * Parses and validates a reference. `label` names where it came from
 * ("input 'image'") so the error tells the user what to fix.
 */
export function parseImageReference(text: string, label: string, options: ParseReferenceOptions = {}): ImageReference {
  const shown = `'${text}'`;
  const example = 'like ghcr.io/acme/app:1.2.3, registry.example.com:5000/team/app or app@sha256:<64 hex digits>';
  if (text.trim() === '') throw new InputError(`${label} must be an image reference ${example} (got '')`);
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    throw new InputError(`${label} must be an image reference without a URL scheme: leave out '${text.slice(0, text.indexOf('://') + 3)}' (got ${shown})`);
  }
  if (/\s/.test(text)) throw new InputError(`${label} must not contain whitespace (got ${JSON.stringify(text)})`);

  let rest = text;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!DIGEST.test(digest)) {
      throw new InputError(`${label}: digest '${digest}' must be sha256: followed by 64 lower-case hex digits (got ${shown})`);
    }
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    assertImageTag(tag, `${label}: tag '${tag}'`);
  }

  let registry = DOCKER_HUB;
  let repository = rest;
  const slash = rest.indexOf('/');
  if (slash >= 0) {
    const first = rest.slice(0, slash);
    // Docker's rule: the first component is a registry when it has a dot or a
    // port, or is localhost; `acme/app` is a Docker Hub repository.
    if (first.includes('.') || first.includes(':') || first === 'localhost' || first.startsWith('[')) {
      registry = first;
      repository = rest.slice(slash + 1);
      if (!REGISTRY.test(registry)) {
        throw new InputError(`${label}: registry '${registry}' is not a valid host[:port] (got ${shown})`);
      }
    }
  }
  registry = normaliseRegistry(registry);
  if (registry === DOCKER_HUB && repository !== '' && !repository.includes('/')) repository = `library/${repository}`;

  if (repository !== repository.toLowerCase() && REPOSITORY.test(repository.toLowerCase())) {
    const lower = formatImageReference({ registry, repository: repository.toLowerCase(), ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) });
    if (registry === GHCR) {
      options.log?.(`${label}: ghcr.io stores repositories in lower case, using ${lower} for ${text}`);
      repository = repository.toLowerCase();
    } else {
      throw new InputError(`${label}: repository '${repository}' must be lower-case: use '${lower}' (got ${shown})`);
    }
  }
  if (!REPOSITORY.test(repository)) {
    throw new InputError(
      `${label}: repository '${repository}' must be lower-case path components of letters and digits separated by '.', '_', '__' or '-', joined by '/' (got ${shown})`,
    );
  }
  if (registry.length + 1 + repository.length > NAME_MAX) {
    throw new InputError(`${label}: the image name is longer than ${NAME_MAX} characters (got ${shown})`);
  }
  return { registry, repository, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) };
}

/** `index.docker.io` and friends are all Docker Hub; host names are case-insensitive. */
export function normaliseRegistry(registry: string): string {
  const lower = registry.toLowerCase();
  if (lower === 'index.docker.io' || lower === DOCKER_HUB || lower === DOCKER_HUB_API_HOST) return DOCKER_HUB;
  return lower;
}

/** The host:port the distribution API is served from. */
export function registryApiHost(registry: string): string {
  const normalised = normaliseRegistry(registry);
  return normalised === DOCKER_HUB ? DOCKER_HUB_API_HOST : normalised;
}

/** The fully qualified form: `docker.io/library/alpine:3.20`, never the familiar `alpine:3.20`. */
export function formatImageReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag !== undefined ? `:${ref.tag}` : ''}${ref.digest !== undefined ? `@${ref.digest}` : ''}`;
}

/** What to ask the registry for: the digest when pinned, else the tag, else docker's default `latest`. */
export function manifestReference(ref: ImageReference): string {
  return ref.digest ?? ref.tag ?? 'latest';
}

/** The host part of `host[:port]`, brackets removed from IPv6. */
export function registryHostname(registry: string): string {
  if (registry.startsWith('[')) return registry.slice(1, registry.indexOf(']'));
  const colon = registry.lastIndexOf(':');
  return colon < 0 ? registry : registry.slice(0, colon);
}

export function isIpRegistry(registry: string): boolean {
  return isIP(registryHostname(registry)) !== 0;
}

/** localhost, 127.0.0.0/8 and ::1: where a plain-HTTP test registry typically lives. */
export function isLoopbackRegistry(registry: string): boolean {
  const host = registryHostname(registry).toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost')) return true;
  if (isIP(host) === 4) return host.startsWith('127.');
  return host === '::1' || host === '0:0:0:0:0:0:0:1';
}

export function isDigest(ref: string): boolean {
  return DIGEST.test(ref);
}

export function assertDigest(digest: string, what: string): void {
  if (!DIGEST.test(digest)) throw new InputError(`${what} must be sha256: followed by 64 lower-case hex digits (got '${digest}')`);
}

export function assertRepository(repository: string, what: string): void {
  if (repository.length > NAME_MAX || !REPOSITORY.test(repository)) {
    const hint = REPOSITORY.test(repository.toLowerCase()) ? `: it must be lower-case, use '${repository.toLowerCase()}'` : '';
    throw new InputError(`${what} must be a repository path like acme/app${hint} (got '${repository}')`);
  }
}

/** An image name without tag or digest; the registry part is optional. */
export function assertImageName(image: string, what: string): void {
  if (image.length > NAME_MAX || !IMAGE.test(image)) {
    throw new InputError(
      `${what} must be an image name without tag or digest, like ghcr.io/acme/app or registry:5000/team/app (got '${image}')`,
    );
  }
}

export function assertImageTag(tag: string, what: string): void {
  if (!TAG.test(tag)) {
    throw new InputError(`${what} must be a valid image tag: letters, digits, '_', '.', '-', at most 128, not starting with '.' or '-' (got '${tag}')`);
  }
}

export function isImageTag(tag: string): boolean {
  return TAG.test(tag);
}
