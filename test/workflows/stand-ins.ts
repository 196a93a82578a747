import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gitIn } from '../harness/git-repo.js';

/** What a stand-in sees and can do: the step's inputs, the run's places, its log and outputs. */
export interface StandInStep {
  uses: string;
  with: Record<string, string>;
  workspace: string;
  /** `github.repository` of the run. */
  repository: string;
  /** owner/repo → local directory (the run's `repositories`). */
  repositories: Record<string, string>;
  log(line: string): void;
  setOutput(name: string, value: string): void;
}

/**
 * A third-party action's stand-in: does on this machine what the real action would leave
 * behind, or nothing when the machine already has it. Throwing fails the step.
 */
export type StandIn = (step: StandInStep) => void | Promise<void>;

function localCopyOf(step: StandInStep, repository: string): string | undefined {
  const wanted = repository.toLowerCase();
  return Object.entries(step.repositories).find(([name]) => name.toLowerCase() === wanted)?.[1];
}

/**
 * actions/checkout: the workspace already is the checkout of the run's repository, so
 * checking that out is a no-op. Another repository is cloned from its local copy in
 * `repositories` into `path`.
 */
const checkout: StandIn = (step) => {
  const repository = step.with.repository || step.repository;
  const path = step.with.path ?? '';
  const target = resolve(step.workspace, path);
  if (repository.toLowerCase() === step.repository.toLowerCase() && target === resolve(step.workspace)) {
    if (!existsSync(join(step.workspace, '.git'))) {
      step.log(`checkout stand-in: the workspace ${step.workspace} is not a git repository; continuing with its files as they are`);
    } else {
      step.log(`checkout stand-in: the workspace is the checkout of ${repository} at ${gitIn(step.workspace, ['rev-parse', 'HEAD'])}`);
    }
    return;
  }
  const source = repository.toLowerCase() === step.repository.toLowerCase() ? step.workspace : localCopyOf(step, repository);
  if (!source) throw new Error(`checkout stand-in: no local copy of ${repository}; pass it in the run's repositories option`);
  if (existsSync(target) && readdirSync(target).length) throw new Error(`checkout stand-in: ${target} is not empty`);
  mkdirSync(target, { recursive: true });
  gitIn(target, ['clone', '--quiet', '--no-local', source, '.']);
  if (step.with.ref) gitIn(target, ['checkout', '--quiet', step.with.ref]);
  step.log(`checkout stand-in: cloned ${repository} from ${source} into ${target}${step.with.ref ? ` at ${step.with.ref}` : ''}`);
};

/** setup-<tool>: the machine's toolchain is used as it is; the step only says what was asked for. */
function setup(tool: string, versionInput: string, outputs: (step: StandInStep) => Record<string, string> = () => ({})): StandIn {
  return (step) => {
    const asked = step.with[versionInput] || step.with[`${versionInput}-file`] || 'any version';
    step.log(`${tool} stand-in: using the ${tool} on this machine's PATH (the workflow asks for ${asked})`);
    for (const [name, value] of Object.entries(outputs(step))) step.setOutput(name, value);
  };
}

/** Keyed by `owner/repo` (or `owner/repo/path`), lower case, any ref. */
export const standIns: Record<string, StandIn> = {
  'actions/checkout': checkout,
  'actions/setup-node': setup('node', 'node-version', () => ({ 'node-version': process.version })),
  'actions/setup-java': setup('java', 'java-version'),
  'actions/setup-python': setup('python', 'python-version'),
  'actions/setup-go': setup('go', 'go-version'),
};
