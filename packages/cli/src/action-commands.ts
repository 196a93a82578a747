import type { InputSpecs } from '#core/runtime/inputs.js';
import { runAction, type ActionDefinition } from '#core/runtime/run-action.js';
import type { RunContext, Runtime } from '#core/runtime/runtime.js';
import { buildAndPushAction } from '../../../actions/build-and-push/src/action.js';
import { commitToGitopsAction } from '../../../actions/commit-to-gitops/src/action.js';
import { notifyAction } from '../../../actions/notify/src/action.js';
import { pipelineAction } from '../../../actions/pipeline/src/action.js';
import { promoteAction } from '../../../actions/promote/src/action.js';
import { verifyAction } from '../../../actions/verify/src/action.js';
import { waitForSyncAction } from '../../../actions/wait-for-sync/src/action.js';
import { renderAction } from '../../../actions/render/src/action.js';
import { versionAction } from '../../../actions/version/src/action.js';

/** A CLI command that is one action: its flags are the action's inputs, its output lines the action's outputs. */
export interface ActionCommand {
  readonly name: string;
  /** The folder under actions/ whose action.yml documents it. */
  readonly action: string;
  /** One line for `gitops-actions --help`. */
  readonly summary: string;
  readonly inputs: InputSpecs;
  readonly outputs: readonly string[];
  run(runtime: Runtime, context: RunContext): Promise<boolean>;
}

function command<S extends InputSpecs, O extends string>(
  name: string,
  action: string,
  summary: string,
  definition: ActionDefinition<S, O>,
): ActionCommand {
  return {
    name,
    action,
    summary,
    inputs: definition.inputs,
    outputs: definition.outputs,
    // The very wrapper the action's own entry calls: same parsing, same outputs, same failures.
    run: (runtime, context) => runAction(definition, runtime, context),
  };
}

/** In pipeline order, then the whole pipeline, promotion, waiting for Argo CD and drift detection. */
export const actionCommands: readonly ActionCommand[] = [
  command('version', 'version', 'the next semantic version from conventional commits, and the image tags', versionAction),
  command('build', 'build-and-push', 'build the image with docker buildx or buildah, push it, report its digest', buildAndPushAction),
  command('render', 'render', "render an app's manifests per environment into the GitOps layout", renderAction),
  command('commit', 'commit-to-gitops', "land one app's rendered directory in a GitOps repository (push or pull request)", commitToGitopsAction),
  command('notify', 'notify', 'post, update or print the Slack message of a deploy', notifyAction),
  command('pipeline', 'pipeline', 'all of the above in one go, driven by gitops.yaml (the root action)', pipelineAction),
  command('promote', 'promote', 'move the image an environment runs on to the next one (retag, render, commit, notify)', promoteAction),
  command('wait', 'wait-for-sync', 'wait until Argo CD has synced a GitOps commit and the app is healthy', waitForSyncAction),
  command('verify', 'verify', 're-render every environment and compare with its GitOps repository: drift, with diffs', verifyAction),
];
