import type { PipelineStep } from '../config/environment-settings.js';
import type { DeployStatus } from '../notify/deploy-status.js';
import type { PipelinePlan, PipelineRequest } from './pipeline-plan.js';

/**
 * The raw inputs each step's action gets in the pipeline: what gitops.yaml
 * says (configInputs), the credentials given to the root action, and the
 * outputs of the steps before it, wired as a workflow would wire
 * `steps.<id>.outputs.<name>`. Everything is the text a workflow would pass,
 * so each action parses and checks it exactly as when it runs on its own.
 */

/** The outputs of the steps that have run, by step. */
export type Produced = Partial<Record<PipelineStep, Record<string, string>>>;

/** The version being deployed: the version step's, else the one given. */
export function deployedVersion(request: PipelineRequest, produced: Produced): string {
  return produced.version?.version || request.version;
}

export function versionInputs(plan: PipelinePlan, request: PipelineRequest): Record<string, string> {
  return {
    ...plan.fromConfig.version,
    ...(request.version ? { version: request.version } : {}),
    // A dry run changes nothing anywhere, tags included.
    ...(request.dryRun ? { 'create-tag': 'false' } : {}),
  };
}

export function buildInputs(plan: PipelinePlan, request: PipelineRequest, produced: Produced): Record<string, string> {
  const tags = produced.version?.['image-tags'] || request.version;
  return {
    ...plan.fromConfig.build,
    ...(tags ? { tags } : {}),
    ...(request.registryUsername ? { username: request.registryUsername, password: request.registryPassword } : {}),
    ...(request.registryInsecure ? { insecure: 'true' } : {}),
    // A dry run builds the image (the Dockerfile is checked) but pushes nothing.
    ...(request.dryRun ? { push: 'false' } : {}),
  };
}

/** The image the manifests pin, and why that one (for the log). */
export function renderImage(request: PipelineRequest, produced: Produced): { tag: string; digest: string; reason: string } {
  const version = deployedVersion(request, produced);
  const built = produced.build?.digest ?? '';
  if (built) return { tag: version, digest: built, reason: produced.build?.skipped === 'true' ? 'already built from this commit' : 'pushed by the build step' };
  if (request.imageDigest) return { tag: version, digest: request.imageDigest, reason: "input 'image-digest'" };
  if (produced.build) return { tag: version, digest: '', reason: 'by tag: a dry run pushes nothing, so there is no digest to pin' };
  return { tag: version, digest: '', reason: "by tag: no build step and no 'image-digest' to pin a digest" };
}

export function renderInputs(plan: PipelinePlan, request: PipelineRequest, produced: Produced, output: string): Record<string, string> {
  const version = deployedVersion(request, produced);
  const image = renderImage(request, produced);
  return {
    ...plan.fromConfig.render,
    output,
    ...(version ? { version } : {}),
    ...(image.tag ? { 'image-tag': image.tag } : {}),
    ...(image.digest ? { 'image-digest': image.digest } : {}),
  };
}

export function commitInputs(plan: PipelinePlan, request: PipelineRequest, produced: Produced): Record<string, string> {
  const version = deployedVersion(request, produced);
  return {
    ...plan.fromConfig.commit,
    source: produced.render?.path ?? '',
    ...(version ? { version } : {}),
    ...(request.gitopsToken ? { token: request.gitopsToken } : {}),
    ...(request.gitopsSshKey ? { 'ssh-key': request.gitopsSshKey } : {}),
    ...(request.gitopsSshKnownHosts ? { 'ssh-known-hosts': request.gitopsSshKnownHosts } : {}),
    ...(request.dryRun ? { 'dry-run': 'true' } : {}),
  };
}

/**
 * Why the wait step has nothing to wait for, or undefined when it has: a dry
 * run commits nothing, and a pull request reaches the branch Argo CD
 * follows only once it is merged.
 */
export function waitSkipReason(request: PipelineRequest, produced: Produced): string | undefined {
  if (request.dryRun) return 'a dry run commits nothing for Argo CD to sync';
  const pullRequest = produced.commit?.['pull-request-url'];
  if (pullRequest) return `the change waits in ${pullRequest}; Argo CD syncs it once it is merged`;
  return undefined;
}

export function waitInputs(plan: PipelinePlan, request: PipelineRequest, produced: Produced): Record<string, string> {
  return {
    ...plan.fromConfig.wait,
    ...(request.argocdUrl ? { 'argocd-url': request.argocdUrl } : {}),
    'argocd-token': request.argocdToken,
    // The branch head after the commit step: our commit, or the unchanged head that already holds this state.
    revision: produced.commit?.['commit-sha'] ?? '',
  };
}

/** The message that was posted when the pipeline started, to be updated with the result. */
export interface PostedNotice {
  ts: string;
  /** The channel's ID, as chat.update needs it. */
  channel: string;
}

export interface FailedStep {
  step: PipelineStep;
  /** The step's error message. */
  reason: string;
}

/** Longest error text shown in the Slack message; the job summary has all of it. */
const MAX_REASON = 300;

/** The started message once the commit step is done: what Argo CD is now being waited for. */
function waitingTitle(plan: PipelinePlan, request: PipelineRequest, produced: Produced): string {
  const what = [plan.config.app, deployedVersion(request, produced)].filter(Boolean).join(' ');
  return produced.commit?.changed === 'false'
    ? `${what} is already ${plan.environment}'s desired state, waiting for Argo CD`
    : `${what} committed to ${plan.environment}, waiting for Argo CD`;
}

export function notifyInputs(
  plan: PipelinePlan,
  request: PipelineRequest,
  produced: Produced,
  status: DeployStatus,
  options: { posted?: PostedNotice; failed?: FailedStep; waiting?: boolean } = {},
): Record<string, string> {
  const { posted, failed, waiting } = options;
  const credentials: Record<string, string> =
    plan.slack === 'web-api'
      ? { 'bot-token': request.slackBotToken, 'api-url': request.slackApiUrl, ...(request.slackChannel ? { channel: request.slackChannel } : {}) }
      : plan.slack === 'webhook'
        ? { 'webhook-url': request.slackWebhookUrl }
        : {};
  const fromConfig = { ...plan.fromConfig.notify };
  // A webhook posts to its own channel, and notify refuses a channel next to it; nothing sent needs none.
  if (plan.slack !== 'web-api') delete fromConfig.channel;
  if (plan.slack !== 'web-api') delete fromConfig.thread;
  const image = produced.build?.['image-ref'] || produced.render?.image || '';
  const reason = failed ? failed.reason.split('\n')[0]!.trim() : '';
  return {
    ...fromConfig,
    ...credentials,
    status,
    ...(deployedVersion(request, produced) ? { version: deployedVersion(request, produced) } : {}),
    ...(image ? { image } : {}),
    ...(produced.commit?.['commit-url'] ? { 'gitops-commit-url': produced.commit['commit-url'] } : {}),
    ...(produced.commit?.['pull-request-url'] ? { 'pull-request-url': produced.commit['pull-request-url'] } : {}),
    // The changelog belongs to the result; the started message stays short.
    ...(status !== 'started' && produced.version?.changelog ? { changelog: produced.version.changelog } : {}),
    ...(produced.wait?.['sync-status'] ? { 'sync-status': produced.wait['sync-status'] } : {}),
    ...(produced.wait?.['health-status'] ? { 'health-status': produced.wait['health-status'] } : {}),
    ...(waiting ? { title: waitingTitle(plan, request, produced) } : {}),
    ...(posted?.ts ? { 'update-ts': posted.ts, channel: posted.channel } : {}),
    ...(failed
      ? { fields: `Failed step=${failed.step}\nError=${reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason}` }
      : {}),
    ...(request.dryRun || plan.slack === 'print' ? { 'dry-run': 'true' } : {}),
  };
}
