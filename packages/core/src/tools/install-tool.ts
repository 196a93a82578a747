import { lstatSync, rmSync } from 'node:fs';
import { isAbsolute, join, posix } from 'node:path';
import { InputError, ToolError } from '../errors/errors.js';
import { withPrivateTempDir } from '../exec/private-temp-dir.js';
import { runTool } from '../exec/run-tool.js';
import { assertSha256, sha256ForFile } from './checksum.js';
import { displayUrl, downloadText, downloadToFile, parseDownloadUrl, type DownloadOptions } from './download.js';
import { createStagingDir, findInToolCache, placeInToolCache, type ToolCacheKey } from './tool-cache.js';

/** One release archive of a tool, and where its checksum is published. */
export interface ToolRelease extends ToolCacheKey {
  /** A `.tar.gz` (or `.tgz`) archive. */
  archiveUrl: string;
  /** A sha256sum-style file naming the archive (or holding its bare digest). */
  checksumUrl: string;
  /** Where the executable sits inside the archive, e.g. `linux-amd64/helm`. */
  executable: string;
  /** Largest archive accepted. Default 256 MiB. */
  maxBytes?: number;
}

export interface InstallToolOptions {
  /** The tool cache root (`RUNNER_TOOL_CACHE` on a runner). */
  toolCache: string;
  /** Where the archive is downloaded to (a private directory, removed afterwards). */
  tempDir: string;
  log?: (line: string) => void;
  download?: Omit<DownloadOptions, 'maxBytes' | 'log'>;
}

export interface InstalledTool {
  /** Absolute path of the executable. */
  path: string;
  /** The tool-cache entry it lives in. */
  dir: string;
  source: 'cache' | 'download';
}

const MAX_CHECKSUM_BYTES = 64 * 1024;
const EXTRACT_TIMEOUT_MS = 2 * 60_000;

/**
 * The executable of `release` from the tool cache, or downloaded, verified
 * and cached first. The archive's SHA-256 is checked against the published
 * checksum before a single byte of it is unpacked; unpacking happens in a
 * staging directory that only becomes the cache entry once whole (see
 * tool-cache.ts), so a failed or concurrent install never leaves a broken
 * entry behind.
 */
export async function installTool(release: ToolRelease, options: InstallToolOptions): Promise<InstalledTool> {
  const { tool, version, executable } = release;
  const log = options.log ?? (() => {});
  if (posix.isAbsolute(executable) || executable.split('/').some((s) => s === '..' || s === '')) {
    throw new Error(`installTool: executable '${executable}' must be a relative path inside the archive`);
  }
  // A relative cache (an unset RUNNER_TOOL_CACHE) would fill the checkout with tools.
  if (!isAbsolute(options.toolCache)) throw new InputError(`the tool cache must be an absolute directory (got '${options.toolCache}')`);
  const cached = findInToolCache(options.toolCache, release, executable);
  if (cached) {
    log(`${tool} ${version}: found in the tool cache at ${cached}`);
    return { path: join(cached, executable), dir: cached, source: 'cache' };
  }

  const archiveUrl = parseDownloadUrl(release.archiveUrl, `${tool} download URL`);
  const checksumUrl = parseDownloadUrl(release.checksumUrl, `${tool} checksum URL`);
  const archiveName = posix.basename(archiveUrl.pathname);
  if (!/^[A-Za-z0-9][A-Za-z0-9._+-]*\.(?:tar\.gz|tgz)$/.test(archiveName)) {
    throw new Error(`installTool: ${displayUrl(archiveUrl)} does not name a .tar.gz archive`);
  }
  const download = { ...options.download, log };

  log(`${tool} ${version}: not in the tool cache, downloading ${displayUrl(archiveUrl)}`);
  return withPrivateTempDir(options.tempDir, async (tmp) => {
    const sums = await downloadText(checksumUrl.href, { ...download, maxBytes: MAX_CHECKSUM_BYTES });
    const expected = sha256ForFile(sums, archiveName, displayUrl(checksumUrl));
    const archive = join(tmp.path, archiveName);
    const got = await downloadToFile(archiveUrl.href, archive, { ...download, maxBytes: release.maxBytes ?? 256 * 1024 * 1024 });
    assertSha256(displayUrl(archiveUrl), expected, got.sha256);
    log(`${tool} ${version}: ${got.bytes} bytes, SHA-256 ${got.sha256} matches ${displayUrl(checksumUrl)}`);

    const staged = createStagingDir(options.toolCache, release);
    try {
      // Paths are absolute, so neither can be read as an option; GNU and BSD tar both refuse members with `..`.
      await runTool(['tar', '-xzf', archive, '-C', staged, '--no-same-owner'], { timeoutMs: EXTRACT_TIMEOUT_MS });
      const stat = lstatSync(join(staged, executable), { throwIfNoEntry: false });
      if (!stat?.isFile() || (stat.mode & 0o111) === 0) {
        throw new ToolError(`unpack ${archiveName}`, null, '', `the archive has no executable ${executable}`);
      }
      const { dir, placed } = placeInToolCache(options.toolCache, release, staged, executable, `sha256 ${got.sha256}\nurl ${displayUrl(archiveUrl)}\n`);
      log(placed ? `${tool} ${version}: cached at ${dir}` : `${tool} ${version}: another install cached it at ${dir} first; using that one`);
      return { path: join(dir, executable), dir, source: 'download' as const };
    } finally {
      rmSync(staged, { recursive: true, force: true });
    }
  });
}
