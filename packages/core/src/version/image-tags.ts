import { InputError } from '../errors/errors.js';

// The reference grammar of the OCI distribution spec (docker/distribution reference).
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const IMAGE = new RegExp(`^(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`);

export function assertImageName(image: string, what: string): void {
  if (image.length > 255 || !IMAGE.test(image)) {
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

/** A semver as an image tag: build metadata's '+' is not allowed in tags. */
export function versionAsImageTag(version: string): string {
  return version.replace(/\+/g, '-');
}

/**
 * The tags to push, immutable first: the version, then the commit, then the
 * moving tags; full references when an image is given. Duplicates are dropped.
 */
export function imageTags(options: { version: string; shortSha: string; movingTags: readonly string[]; image: string }): string[] {
  const tags = [versionAsImageTag(options.version), `sha-${options.shortSha}`, ...options.movingTags];
  const unique = [...new Set(tags)];
  return options.image ? unique.map((t) => `${options.image}:${t}`) : unique;
}
