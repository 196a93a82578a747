import { homedir, tmpdir } from 'node:os';
import type { ArgocdSettings } from '#core/config/environment-settings.js';
import { redact } from '#core/exec/redact.js';
import { openOrUpdatePullRequest } from '#core/github/open-or-update-pull-request.js';
import { argocdApplicationYaml } from '#core/gitops/argocd-application.js';
import { commitSummary } from '#core/gitops/commit-summary.js';
import { commitToGitops, type CommitToGitopsResult } from '#core/gitops/commit-to-gitops.js';
import type { ExtraFile } from '#core/gitops/extra-files.js';
import type { PullRequestApi } from '#core/gitops/pull-request.js';
import { resolveRepository } from '#core/gitops/repository-url.js';
import { neutraliseLine, neutraliseLines } from '#core/log/neutralise.js';
import { actionStep, type StepRunner } from '#core/pipeline/action-step.js';
import { defineAction, type ActionInvocation } from '#core/runtime/run-action.js';
import type { RunContext, Runtime } from '#core/runtime/runtime.js';
import { commitToGitopsAction } from '../../commit-to-gitops/src/action.js';

/** A diff beyond this is cut in the log; the commit has it whole. */
const MAX_LOGGED_PATCH = 256 * 1024;

type CommitInputs = ActionInvocation<(typeof commitToGitopsAction)['inputs'], string>['inputs'];

/**
 * The GitHub REST client for pull-request mode, as the commit-to-gitops
 * action wires it: `@actions/github` is loaded only when a pull request is
 * opened, so push mode never pays for it.
 */
function pullRequestApi(token: string, context: RunContext, runtime: Runtime): PullRequestApi {
  return { openOrUpdate: (request) => openOrUpdatePullRequest(request, { token, apiUrl: context.apiUrl, log: runtime }) };
}

/**
 * The Argo CD Application of `<app>--<environment>`, pointing at exactly what
 * this commit writes: the repository as git reaches it, the branch the
 * desired state is for, the directory.
 */
function applicationFile(argocd: ArgocdSettings, inputs: CommitInputs, context: RunContext): ExtraFile {
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
 * an app is deployed to an environment for the first time. The separate
 * action has no input for that file, so this runs the same core step
 * (commitToGitops) with it; keep the two in step.
 */
export function commitStep(argocd: ArgocdSettings | undefined): StepRunner {
  return actionStep(
    defineAction({
      name: commitToGitopsAction.name,
      inputs: commitToGitopsAction.inputs,
      outputs: commitToGitopsAction.outputs,
      async run({ inputs, runtime, context, publish }) {
        const target = inputs.path || inputs.source.replace(/\/+$/, '').split('/').at(-1) || inputs.source;
        const extraFiles = argocd ? [applicationFile(argocd, inputs, context)] : [];
        const result: CommitToGitopsResult = await runtime.group(
          neutraliseLine(`Commit ${target} to ${inputs.repository}@${inputs.branch}${inputs['dry-run'] ? ' (dry run)' : ''}`),
          () =>
            commitToGitops(
              {
                repository: inputs.repository,
                branch: inputs.branch,
                createBranch: inputs['create-branch'],
                token: inputs.token,
                sshKey: inputs['ssh-key'],
                sshKnownHosts: inputs['ssh-known-hosts'],
                source: inputs.source,
                path: inputs.path,
                version: inputs.version,
                message: inputs.message,
                authorName: inputs['author-name'],
                authorEmail: inputs['author-email'],
                mode: inputs.mode,
                prTitle: inputs['pr-title'],
                prLabels: inputs['pr-labels'],
                prBase: inputs['pr-base'],
                autoMerge: inputs['auto-merge'],
                maxAttempts: inputs['max-attempts'],
                allowDowngrade: inputs['allow-downgrade'],
                dryRun: inputs['dry-run'],
                workspace: context.workspace,
                tempDir: context.runnerTemp || tmpdir(),
                homeDir: homedir(),
                serverUrl: context.serverUrl,
                sourceRepository: context.repository ? `${context.serverUrl}/${context.repository}` : '',
                sourceCommit: context.sha,
                workflowRun: context.repository && context.runId ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}` : '',
                extraFiles,
              },
              {
                log: (line) => runtime.info(neutraliseLine(line)),
                warning: (line) => runtime.warning(neutraliseLine(line)),
                onSecret: (value) => {
                  if (!runtime.secrets.includes(value)) runtime.setSecret(value);
                },
                pullRequestApi: pullRequestApi(inputs.token, context, runtime),
              },
            ),
        );
        publish({
          changed: result.changed,
          'commit-sha': result.commitSha,
          'commit-url': result.commitUrl,
          'pull-request-number': result.pullRequestNumber === undefined ? '' : String(result.pullRequestNumber),
          'pull-request-url': result.pullRequestUrl,
          attempts: result.attempts,
          diff: JSON.stringify(result.diff),
        });
        if (result.patch) {
          const patch = result.patch.length > MAX_LOGGED_PATCH ? `${result.patch.slice(0, MAX_LOGGED_PATCH)}\n… (diff cut at ${MAX_LOGGED_PATCH} characters)` : result.patch;
          await runtime.group('Diff of the desired state', async () => runtime.info(neutraliseLines(redact(patch, runtime.secrets))));
        }
        await runtime.summary(redact(commitSummary(result), runtime.secrets));
      },
    }),
  );
}
