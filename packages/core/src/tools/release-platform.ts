import { InputError } from '../errors/errors.js';

/** How Go-built tools (helm, kubectl, kustomize) name a platform in their release archives. */
export interface ReleasePlatform {
  /** `linux`, `darwin`, `windows`. */
  os: string;
  /** `amd64`, `arm64`, `arm`, `386`, `ppc64le`, `s390x`, `riscv64`. */
  arch: string;
}

const OS: Partial<Record<NodeJS.Platform, string>> = { linux: 'linux', darwin: 'darwin', win32: 'windows' };

// Node reports the big-endian name for POWER, but Linux on POWER is little-endian (the only one Go releases target).
const ARCH: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'arm', ia32: '386', ppc64: 'ppc64le', s390x: 's390x', riscv64: 'riscv64' };

/** Node's `process.platform` / `process.arch` in release-archive terms; an InputError for a platform nobody ships. */
export function releasePlatform(tool: string, platform: NodeJS.Platform = process.platform, arch: string = process.arch): ReleasePlatform {
  const os = OS[platform];
  const goArch = Object.hasOwn(ARCH, arch) ? ARCH[arch] : undefined;
  if (!os || !goArch) {
    throw new InputError(`there is no ${tool} release for ${platform}/${arch}: put the ${tool} you need on PATH before this step`);
  }
  return { os, arch: goArch };
}
