import type { ArgocdSettings } from '#core/config/environment-settings.js';
import { argocdApplicationYaml } from '#core/gitops/argocd-application.js';
import type { ExtraFile } from '#core/gitops/extra-files.js';
import { resolveRepository } from '#core/gitops/repository-url.js';
import { actionStep, type StepRunner } from '#core/pipeline/action-step.js';
import { defineAction } from '#core/runtime/run-action.js';
import type { RunContext } from '#core/runtime/runtime.js';
import { commitToGitopsAction, landDesiredState, type CommitInvocation } from '../../commit-to-gitops/src/action.js';

/**
 * The Argo CD Application of `<app>--<environment>`, pointing at exactly what
 * this commit writes: the repository as git reaches it, the branch the
 * desired state is for, the directory.
 */
function applicationFile(argocd: ArgocdSettings, inputs: CommitInvocation['inputs'], context: RunContext): ExtraFile {
  const remote = resolveRepository(inputs.repository, { serverUrl: context.serverUrl, sshKey: inputs['ssh-key'] !== '', token: inputs.token !== '' });
  const path = (inputs.path || inputs.source.replace(/\/+$/, '').split('/').at(-1) || '').replace(/\/+$/, '');
  const targetRevision = inputs.mode === 'pull-request' ? inputs['pr-base'] || inputs.branch : inputs.branch;
  return {
    path: argocd.file,
    content: argocdApplicationYaml(argocd, { repoURL: remote.url, targetRevision, path }),
    description: `the Argo CD Application ${argocd.name}`,
  };
}

/**
 * The pipeline's commit step: the commit-to-gitops action's inputs, outputs
 * and behaviour, plus the Argo CD Application written in the same commit when
 * an app is deployed to an environment for the first time (the separate
 * action has no input for that file).
 */
export function commitStep(argocd: ArgocdSettings | undefined): StepRunner {
  return actionStep(
    defineAction({
      name: commitToGitopsAction.name,
      inputs: commitToGitopsAction.inputs,
      outputs: commitToGitopsAction.outputs,
      run: (invocation) => landDesiredState(invocation, argocd ? [applicationFile(argocd, invocation.inputs, invocation.context)] : []),
    }),
  );
}
