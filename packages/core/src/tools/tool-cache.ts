import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../errors/errors.js';

/**
 * The runner's tool cache, in the layout @actions/tool-cache uses so that
 * entries are shared with other setup actions on the same runner:
 * `<cache>/<tool>/<version>/<arch>/…` and, next to it, an empty
 * `<arch>.complete` file that says the directory is whole.
 *
 * Entries are made whole before they become visible: a directory is filled
 * under a private name beside its final place and renamed into it, which is
 * atomic within a file system. Two installs racing for one entry therefore
 * never see each other's half-written files; the loser of the rename finds
 * the winner's entry and uses it.
 */

export interface ToolCacheKey {
  tool: string;
  /** `3.19.0`: tool-cache keys have no leading `v`. */
  version: string;
  /** Node's name for the architecture (`x64`, `arm64`), as @actions/tool-cache uses. */
  arch: string;
}

/**
 * Written into every entry we fill, before it is renamed into place: its
 * presence proves the entry arrived by that rename, so it is whole even if
 * the `.complete` marker is not written yet.
 */
const STAMP = '.gitops-actions-install';

const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._+-]*$/;

function entryOf(toolCache: string, key: ToolCacheKey): { versionDir: string; dir: string; marker: string } {
  for (const what of ['tool', 'version', 'arch'] as const) {
    const value = key[what];
    if (!SEGMENT.test(value) || value.includes('..')) throw new InputError(`tool cache ${what} '${value}' is not a plain name`);
  }
  const versionDir = join(toolCache, key.tool, key.version);
  const dir = join(versionDir, key.arch);
  return { versionDir, dir, marker: `${dir}.complete` };
}

function isExecutableFile(path: string): boolean {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  return stat !== undefined && stat.isFile() && (stat.mode & 0o111) !== 0;
}

function isWhole(dir: string, marker: string, executable: string): boolean {
  if (!isExecutableFile(join(dir, executable))) return false;
  return existsSync(join(dir, STAMP)) || existsSync(marker);
}

/** The entry's directory when it is complete and holds `executable` (a path inside it); undefined otherwise. */
export function findInToolCache(toolCache: string, key: ToolCacheKey, executable: string): string | undefined {
  const { dir, marker } = entryOf(toolCache, key);
  return existsSync(marker) && isExecutableFile(join(dir, executable)) ? dir : undefined;
}

/** A fresh directory beside the entry's final place (same file system, so the final rename is atomic). */
export function createStagingDir(toolCache: string, key: ToolCacheKey): string {
  const { versionDir } = entryOf(toolCache, key);
  mkdirSync(versionDir, { recursive: true });
  const staged = mkdtempSync(join(versionDir, `.${key.arch}.staging-`));
  // mkdtemp makes it 0700; a cache entry is read by whoever runs the tool.
  chmodSync(staged, 0o755);
  return staged;
}

/**
 * Moves a filled staging directory into place and marks it complete;
 * answers the entry's directory, and whether ours is the copy that stayed.
 * When another install placed the entry first, ours is dropped and theirs
 * used. A leftover that is not whole (a copy interrupted by another tool) is
 * moved aside and replaced.
 */
export function placeInToolCache(toolCache: string, key: ToolCacheKey, staged: string, executable: string, provenance: string): { dir: string; placed: boolean } {
  const { dir, marker } = entryOf(toolCache, key);
  writeFileSync(join(staged, STAMP), provenance);
  let placed = true;
  for (let round = 0; ; round++) {
    try {
      renameSync(staged, dir);
      break;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    }
    if (isWhole(dir, marker, executable)) {
      rmSync(staged, { recursive: true, force: true });
      placed = false;
      break;
    }
    if (round >= 2) throw new Error(`cannot place ${staged} at ${dir}: something keeps recreating it`);
    const aside = `${staged}.stale`;
    try {
      renameSync(dir, aside);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    rmSync(aside, { recursive: true, force: true });
  }
  writeFileSync(marker, '');
  return { dir, placed };
}
