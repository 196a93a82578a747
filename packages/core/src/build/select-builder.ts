import { InputError } from '../errors/errors.js';
import { runTool } from '../exec/run-tool.js';
import type { BuilderName } from './build-spec.js';

export interface BuilderProbe {
  /** A docker daemon answers and buildx is installed. */
  docker(): Promise<boolean>;
  buildah(): Promise<boolean>;
}

/** The real probes: short-lived commands, bounded so a hung daemon socket cannot stall the step. */
export const systemProbe: BuilderProbe = {
  docker: async () => {
    try {
      await runTool(['docker', 'version', '--format', '{{.Server.Version}}'], { timeoutMs: 10_000 });
      await runTool(['docker', 'buildx', 'version'], { timeoutMs: 10_000 });
      return true;
    } catch {
      return false;
    }
  },
  buildah: async () => {
    try {
      await runTool(['buildah', '--version'], { timeoutMs: 10_000 });
      return true;
    } catch {
      return false;
    }
  },
};

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
