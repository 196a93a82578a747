import { SemVer } from 'semver';

/** A git tag that names a version: `<prefix>X.Y.Z[-pre][+build]`. */
export interface VersionTag {
  name: string;
  version: SemVer;
  /** The commit the tag points at (peeled through annotated tags). */
  commit: string;
}

// The regular expression semver.org gives for a valid version, without a leading 'v'.
const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

/** Strict semver: no leading 'v' or '=', no loose forms. */
export function parseStrictSemver(text: string): SemVer | undefined {
  return SEMVER.test(text) ? new SemVer(text) : undefined;
}

/** The version a tag name carries under `prefix`, or undefined for any other tag. */
export function versionOfTag(name: string, prefix: string): SemVer | undefined {
  if (!name.startsWith(prefix)) return undefined;
  return parseStrictSemver(name.slice(prefix.length));
}

export function isRelease(version: SemVer): boolean {
  return version.prerelease.length === 0;
}

/** The highest version among tags, by semver precedence (v1.10.0 > v1.9.0). */
export function highest(tags: readonly VersionTag[]): VersionTag | undefined {
  let best: VersionTag | undefined;
  for (const tag of tags) if (!best || tag.version.compare(best.version) > 0) best = tag;
  return best;
}
