import { computeVersion, type ComputeVersionOptions, type VersionResult } from '#core/version/compute-version.js';

export const DEFAULTS: Omit<ComputeVersionOptions, 'path'> = {
  tagPrefix: 'v',
  paths: [],
  releaseBranches: ['main', 'master'],
  bump: 'auto',
  defaultBump: 'patch',
  majorOnZero: false,
  initialVersion: '0.1.0',
  version: '',
  createTag: false,
  image: '',
  movingTags: [],
  ref: 'refs/heads/main',
  headRef: '',
};

export interface Observed extends VersionResult {
  logs: string[];
  gitCommands: string[][];
}

export async function versionOf(path: string, options: Partial<ComputeVersionOptions> = {}): Promise<Observed> {
  const logs: string[] = [];
  const gitCommands: string[][] = [];
  const result = await computeVersion(
    { ...DEFAULTS, path, ...options },
    { log: (m) => logs.push(m), onGitCommand: (a) => gitCommands.push([...a]) },
  );
  return { ...result, logs, gitCommands };
}
