import { existsSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { InputError } from '../../errors/errors.js';
import { runTool } from '../../exec/run-tool.js';
import type { PrivateDir } from '../../exec/private-temp-dir.js';
import { dumpYaml } from '../../yaml/dump-yaml.js';

export interface KustomizeInput {
  /** The directory holding kustomization.yaml (an overlay, usually). */
  dir: string;
  namespace: string;
  /** Repository written into the workloads, and the tag or digest it gets. */
  image?: { repository: string; tag?: string; digest?: string };
  timeoutMs: number;
}

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export function isKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILES.some((f) => existsSync(join(dir, f)));
}

/**
 * Runs `kubectl kustomize` on a wrapper kustomization in a private temporary
 * directory that points at the user's and sets the image and namespace
 * there: the user's files are never edited.
 */
export async function renderKustomize(input: KustomizeInput, tmp: PrivateDir): Promise<{ chartName: string; yaml: string }> {
  const dir = resolve(input.dir);
  if (!isKustomization(dir)) throw new InputError(`input 'chart': ${input.dir} has no kustomization.yaml`);
  const wrapper: Record<string, unknown> = {
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: [relative(tmp.path, dir)],
  };
  if (input.namespace) wrapper.namespace = input.namespace;
  if (input.image) {
    const { repository, tag, digest } = input.image;
    const pin = digest ? { digest } : tag ? { newTag: tag } : {};
    // Manifests name the image either fully or by a short placeholder (`image: verity-api`): match both.
    const short = repository.slice(repository.lastIndexOf('/') + 1);
    wrapper.images = [{ name: repository, ...pin }, ...(short !== repository ? [{ name: short, newName: repository, ...pin }] : [])];
  }
  tmp.write('kustomization.yaml', dumpYaml(wrapper));
  const { stdout } = await runTool(['kubectl', 'kustomize', tmp.path], { timeoutMs: input.timeoutMs, maxStdoutBytes: 64 * 1024 * 1024 });
  return { chartName: basename(dir), yaml: stdout };
}
