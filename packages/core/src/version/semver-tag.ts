import SemVer from 'semver/classes/semver.js';

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

// A release version: no pre-release part (build metadata allowed). Cheap to test on thousands of tags.
const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;

/** A release tag before its SemVer is built: repositories have thousands, and only a few are ever compared closely. */
export interface ReleaseTagName {
  name: string;
  /** The object the ref names: the commit, or the tag object of an annotated tag. */
  object: string;
  /** major, minor, patch: semver precedence of releases is exactly their numeric order. */
  key: readonly [number, number, number];
}

export function releaseTagName(name: string, object: string, prefix: string): ReleaseTagName | undefined {
  if (!name.startsWith(prefix)) return undefined;
  const m = RELEASE.exec(name.slice(prefix.length));
  return m ? { name, object, key: [Number(m[1]), Number(m[2]), Number(m[3])] } : undefined;
}

export function compareReleaseKeysDescending(a: ReleaseTagName, b: ReleaseTagName): number {
  return b.key[0] - a.key[0] || b.key[1] - a.key[1] || b.key[2] - a.key[2];
}

/** The release version a tag carries under `prefix`; pre-release and other tags give undefined. */
export function releaseVersionOfTag(name: string, prefix: string): SemVer | undefined {
  return releaseTagName(name, '', prefix) ? new SemVer(name.slice(prefix.length)) : undefined;
}

/** The highest version among tags, by semver precedence (v1.10.0 > v1.9.0). */
export function highest(tags: readonly VersionTag[]): VersionTag | undefined {
  let best: VersionTag | undefined;
  for (const tag of tags) if (!best || tag.version.compare(best.version) > 0) best = tag;
  return best;
}
