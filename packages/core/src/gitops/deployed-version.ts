import SemVer from 'semver/classes/semver.js';
import { InputError } from '../errors/errors.js';
import { VERSION_ANNOTATION } from '../render/provenance.js';
import { parseStrictSemver } from '../version/semver-tag.js';
import { manifestFiles, type ManifestFile } from '../yaml/manifest-files.js';

/** What the provenance annotations of a rendered directory say about its version. */
export interface DirectoryVersion {
  /** The highest version found (by semver precedence when all are semver); '' when no object carries one. */
  version: string;
  /** Every distinct version found, for the log (a half-updated directory shows more than one). */
  versions: string[];
  /** Files that could not be read as YAML; their versions are not known. */
  unreadable: string[];
}

/**
 * Reads `gitops-actions.io/version` from the metadata of every object in the
 * directory's YAML and JSON files. Symbolic links are never followed: in a
 * clone of somebody else's repository they could point anywhere.
 */
export function readDirectoryVersion(dir: string): DirectoryVersion {
  return directoryVersion(manifestFiles(dir));
}

/** The same for a directory's manifests read some other way (from git objects). */
export function directoryVersion(files: readonly ManifestFile[]): DirectoryVersion {
  const found = new Set<string>();
  const unreadable: string[] = [];
  for (const file of files) {
    if (!file.text.includes(VERSION_ANNOTATION)) continue; // most files of other tools: skip the parse
    try {
      for (const version of versionsIn(file.documents())) found.add(version);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      unreadable.push(file.path);
    }
  }
  const versions = [...found].sort(compareVersions);
  return { version: versions.at(-1) ?? '', versions, unreadable };
}

function versionsIn(documents: readonly unknown[]): string[] {
  const out: string[] = [];
  for (const document of documents) {
    const metadata = (document as { metadata?: { annotations?: Record<string, unknown> } } | null)?.metadata;
    const value = metadata?.annotations?.[VERSION_ANNOTATION];
    if (typeof value === 'string' && value.trim() !== '') out.push(value.trim());
  }
  return out;
}
/** A version as semver, accepting one leading 'v' (tags are often written that way). */
export function asSemver(version: string): SemVer | undefined {
  return parseStrictSemver(version.replace(/^v(?=\d)/, ''));
}

/** Semver precedence where both are semver; otherwise plain text order, semver first. */
function compareVersions(a: string, b: string): number {
  const sa = asSemver(a);
  const sb = asSemver(b);
  if (sa && sb) return sa.compare(sb) || (a < b ? -1 : a > b ? 1 : 0);
  if (sa) return 1;
  if (sb) return -1;
  return a < b ? -1 : a > b ? 1 : 0;
}

export type VersionDecision =
  | { proceed: true; reason: string; downgrade?: boolean }
  | { proceed: false; reason: string };

/**
 * Never go backwards by accident: a lower version than the one in place is
 * refused unless the rollback is explicit. Only semantic versions are
 * compared; anything else cannot be ordered and is let through with a note.
 */
export function decideVersion(ours: string, inPlace: string, allowDowngrade: boolean, where: string): VersionDecision {
  if (!ours) return { proceed: true, reason: `no version given or found in the source: the never-go-backwards check is skipped` };
  if (!inPlace) return { proceed: true, reason: `${ours}: ${where} has no version yet` };
  const a = asSemver(ours);
  const b = asSemver(inPlace);
  if (!a || !b) {
    const which = !a ? ours : inPlace;
    return { proceed: true, reason: `${ours} over ${inPlace} in ${where}: '${which}' is not a semantic version, so the two are not compared` };
  }
  const order = a.compare(b);
  if (order > 0) return { proceed: true, reason: `${ours} replaces ${inPlace} in ${where} (upgrade)` };
  if (order === 0) return { proceed: true, reason: `${ours} is already the version in ${where}` };
  if (allowDowngrade) return { proceed: true, downgrade: true, reason: `${ours} replaces the higher ${inPlace} in ${where} (downgrade allowed by allow-downgrade)` };
  return {
    proceed: false,
    reason:
      `refusing to replace version ${inPlace} in ${where} with the lower ${ours}: a newer deployment is already in place. ` +
      "For an intended rollback, set 'allow-downgrade: true'.",
  };
}
