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
