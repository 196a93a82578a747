import { homedir, tmpdir } from 'node:os';
import type { CloneHeadStart } from '#core/gitops/clone-head-start.js';
import { commitSummary } from '#core/gitops/commit-summary.js';
import { commitToGitops, type CommitToGitopsResult } from '#core/gitops/commit-to-gitops.js';
import type { ExtraFile } from '#core/gitops/extra-files.js';
import type { PullRequestApi } from '#core/gitops/pull-request.js';
import { openOrUpdatePullRequest } from '#core/github/open-or-update-pull-request.js';
import { redact } from '#core/exec/redact.js';
import { neutraliseLine, neutraliseLines } from '#core/log/neutralise.js';
import { input } from '#core/runtime/inputs.js';
import { defineAction, type ActionInvocation } from '#core/runtime/run-action.js';
import type { RunContext, Runtime } from '#core/runtime/runtime.js';

/**
 * The GitHub REST client for pull-request mode. `@actions/github` is loaded
 * inside it only when a pull request is opened, so push mode never pays for it.
 */
function pullRequestApi(token: string, context: RunContext, runtime: Runtime): PullRequestApi {
  return { openOrUpdate: (request) => openOrUpdatePullRequest(request, { token, apiUrl: context.apiUrl, log: runtime }) };
}

/** A diff beyond this (a CRD bundle, a regenerated chart) is cut in the log; the commit has it whole. */
const MAX_LOGGED_PATCH = 256 * 1024;

const COMMIT_INPUTS = {
  config: input.config('commit'),
  environment: input.string(),
  repository: input.string({ required: 'or-config' }),
  branch: input.string({ fallback: 'main' }),
  'create-branch': input.boolean({ fallback: 'false' }),
  token: input.string({ secret: true }),
  'ssh-key': input.string({ secret: true }),
  'ssh-known-hosts': input.string(),
  source: input.string({ required: true }),
  path: input.string(),
  version: input.string(),
  message: input.string(),
  'author-name': input.string({ default: 'github-actions[bot]' }),
  'author-email': input.string({ default: '41898282+github-actions[bot]@users.noreply.github.com' }),
  mode: input.oneOf(['push', 'pull-request'], { fallback: 'push' }),
  'pr-title': input.string(),
  'pr-labels': input.list(),
  'pr-base': input.string(),
  'auto-merge': input.boolean({ fallback: 'false' }),
  'max-attempts': input.integer({ default: '10', min: 1, max: 100 }),
  'allow-downgrade': input.boolean({ default: 'false' }),
  'dry-run': input.boolean({ default: 'false' }),
} as const;
const COMMIT_OUTPUTS = ['changed', 'commit-sha', 'commit-url', 'pull-request-number', 'pull-request-url', 'attempts', 'diff'] as const;

export type CommitInvocation = ActionInvocation<typeof COMMIT_INPUTS, (typeof COMMIT_OUTPUTS)[number]>;

/**
 * The action's behaviour. `extraFiles` land in the same commit where the
 * branch has nothing at their paths yet: the root pipeline passes the Argo CD
 * Application of an app's first deploy; this action, which has no input for
 * such files, passes none.
 */
export async function landDesiredState(
  { inputs, runtime, context, publish }: CommitInvocation,
  extraFiles: readonly ExtraFile[] = [],
  cloneHeadStart?: CloneHeadStart,
): Promise<void> {
  const target = inputs.path || inputs.source.replace(/\/+$/, '').split('/').at(-1) || inputs.source;
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
          ...(cloneHeadStart ? { cloneHeadStart } : {}),
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
}

export const commitToGitopsAction = defineAction({
  name: 'commit-to-gitops',
  inputs: COMMIT_INPUTS,
  outputs: COMMIT_OUTPUTS,
  run: (invocation) => landDesiredState(invocation),
});
