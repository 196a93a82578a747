import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { InputError } from '../errors/errors.js';
import { runTool } from '../exec/run-tool.js';
import type { BuilderName } from './build-spec.js';

export interface BuilderProbe {
  /** A docker daemon answers and buildx is installed. */
  docker(): Promise<boolean>;
  buildah(): Promise<boolean>;
}

/** An executable named `name` on PATH, found without starting a process. */
function onPath(name: string, path: string): boolean {
  return path.split(delimiter).some((dir) => {
    if (!dir) return false;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

/**
 * The real probes. Each process start costs ~60 ms here, so we look before
 * we ask: no docker socket and no DOCKER_HOST means no daemon can answer;
 * buildah only has to be on PATH (a broken install fails the build itself,
 * with buildah's own message).
 */
export function systemProbe(env: { PATH?: string | undefined; DOCKER_HOST?: string | undefined }): BuilderProbe {
  const path = env.PATH ?? '';
  return {
    docker: async () => {
      if (!onPath('docker', path)) return false;
      if (!env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
      try {
        await runTool(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
        await runTool(['docker', 'buildx', 'version'], { timeoutMs: 10_000 });
        return true;
      } catch {
        return false;
      }
    },
    buildah: async () => onPath('buildah', path),
  };
}

/** Decides the builder and says why, for the log. */
export async function selectBuilder(
  requested: 'auto' | BuilderName,
  probe: BuilderProbe,
): Promise<{ builder: BuilderName; reason: string }> {
  if (requested === 'docker') {
    if (await probe.docker()) return { builder: 'docker', reason: "builder 'docker' requested" };
    throw new InputError("input 'builder' is 'docker' but no docker daemon with buildx answers here; use builder: buildah or set up docker (docker/setup-buildx-action)");
  }
  if (requested === 'buildah') {
    if (await probe.buildah()) return { builder: 'buildah', reason: "builder 'buildah' requested" };
    throw new InputError("input 'builder' is 'buildah' but buildah is not installed (sudo apt-get install -y buildah)");
  }
  if (await probe.docker()) return { builder: 'docker', reason: 'a docker daemon with buildx answers' };
  if (await probe.buildah()) return { builder: 'buildah', reason: 'no docker daemon answers; buildah is installed' };
  throw new InputError(
    "no image builder here: no docker daemon answers and buildah is not installed. Install one (sudo apt-get install -y buildah) or set up docker with docker/setup-buildx-action",
  );
}
