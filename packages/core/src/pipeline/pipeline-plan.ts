import { parseArgoCdUrl } from '../argocd/argocd-url.js';
import { configInputs, ENVIRONMENT_STEPS } from '../config/config-inputs.js';
import {
  appSettings,
  environmentsForBranch,
  settingsFor,
  type ArgocdSettings,
  type PipelineStep,
} from '../config/environment-settings.js';
import { loadGitopsConfig, type GitopsConfig } from '../config/load-gitops-config.js';
import { InputError } from '../errors/errors.js';
import { resolveSlackTarget } from '../notify/slack-target.js';
import { assertDigest, assertImageTag } from '../registry/reference.js';
import type { RunContext } from '../runtime/runtime.js';
import { branchFromRef } from '../version/branch.js';

/** The root action's inputs, typed. */
export interface PipelineRequest {
  /** gitops.yaml, relative to the workspace. */
  config: string;
  /** '' to take the one environment whose `deploy-on` matches the pushed branch. */
  environment: string;
  steps: readonly PipelineStep[];
  /** An explicit version: overrides the computed one, or names the deployed one when the version step does not run. */
  version: string;
  /** The image to deploy when the build step does not run (e.g. built by an earlier job). */
  imageDigest: string;
  gitopsToken: string;
  gitopsSshKey: string;
  gitopsSshKnownHosts: string;
  registryUsername: string;
  registryPassword: string;
  registryInsecure: boolean;
  slackWebhookUrl: string;
  slackBotToken: string;
  slackChannel: string;
  slackApiUrl: string;
  /** The Argo CD server for the wait step, over gitops.yaml's `argocd.url`. */
  argocdUrl: string;
  argocdToken: string;
  dryRun: boolean;
}

/**
 * How the deploy message reaches Slack: the Web API (posted when the
 * pipeline starts, updated with the result), an incoming webhook (one message
 * at the end), or printed to the log and summary when no Slack credentials
 * were given (a fork, a local run): the notice never fails a deploy.
 */
export type SlackDelivery = 'web-api' | 'webhook' | 'print';

/** Everything decided before any step runs. */
export interface PipelinePlan {
  config: GitopsConfig;
  steps: readonly PipelineStep[];
  /** '' when no selected step needs one (version and build only). */
  environment: string;
  /** The inputs gitops.yaml gives each selected step's action, by their action.yml names. */
  fromConfig: Partial<Record<PipelineStep, Record<string, string>>>;
  /** The Argo CD Application to create with a first deploy, when gitops.yaml has `argocd` and the commit step runs. */
  argocd: ArgocdSettings | undefined;
  /** Undefined when the notify step does not run. */
  slack: SlackDelivery | undefined;
  /** Decisions for the log, each with its reason. */
  notes: string[];
  /** The note saying the deploy message is printed, not sent; undefined otherwise. */
  slackNote?: string;
}

/**
 * Loads gitops.yaml and checks everything the selected steps will need, all
 * before the first step runs: an unknown environment, a missing values file
 * or build context, an environment without a GitOps repository, a commit
 * without the render that produces what it commits, an image nobody pins,
 * Slack credentials that cannot work. Nothing is built, pushed or sent when
 * any of it is wrong.
 */
export function planPipeline(request: PipelineRequest, context: RunContext): PipelinePlan {
  const steps = request.steps;
  const has = (step: PipelineStep) => steps.includes(step);
  const notes: string[] = [];
  if (has('commit') && !has('render')) {
    throw new InputError(
      "input 'steps': the commit step commits what the render step writes, so it needs render too " +
        "(to commit a directory rendered elsewhere, use the commit-to-gitops action with its 'source' input)",
    );
  }
  if (has('wait') && !has('commit')) {
    throw new InputError(
      "input 'steps': the wait step waits for Argo CD to sync the GitOps commit the commit step makes, so it needs commit too " +
        "(to wait for a commit made elsewhere, use the wait-for-sync action with its 'revision' input)",
    );
  }
  if (request.imageDigest) assertDigest(request.imageDigest, "input 'image-digest'");
  if (request.version) assertImageTag(request.version, "input 'version' (it is also the image tag)");

  const config = loadGitopsConfig(request.config, { workspace: context.workspace });
  const needsEnvironment = steps.some((s) => ENVIRONMENT_STEPS.includes(s));
  const environment = needsEnvironment ? chooseEnvironment(config, request.environment, context, notes) : request.environment;

  // One call per kind checks every selected step's settings and files at once, so all problems come in one round.
  const settings = environment ? settingsFor(config, environment, { steps, workspace: context.workspace }) : undefined;
  if (!settings) appSettings(config, { steps, workspace: context.workspace });
  const fromConfig: PipelinePlan['fromConfig'] = {};
  for (const step of steps) fromConfig[step] = configInputs(config, step, environment || undefined);

  if (has('render') && config.image !== undefined && !has('build') && !request.imageDigest && !request.version && !has('version')) {
    throw new InputError(
      `the render step has no image of ${config.image} to deploy: add the build step, give input 'image-digest' ` +
        "(e.g. the digest output of an earlier build job), or a version to deploy by tag (input 'version' or the version step)",
    );
  }

  if (has('wait')) checkWait(request, fromConfig.wait ?? {}, config.source.file, environment);

  let slack: SlackDelivery | undefined;
  if (has('notify')) slack = slackDelivery(request, fromConfig.notify ?? {}, notes);

  const argocd = has('commit') ? settings?.argocd : undefined;
  return { config, steps, environment, fromConfig, argocd, slack, notes, ...(slack === 'print' ? { slackNote: NO_SLACK_NOTE } : {}) };
}

function chooseEnvironment(config: GitopsConfig, given: string, context: RunContext, notes: string[]): string {
  if (given) return given;
  const names = Object.keys(config.environments);
  const branch = branchFromRef(context.ref, context.headRef, '');
  const hint = `give input 'environment' (${config.source.file} has ${names.join(', ')})`;
  if (!branch.name || branch.pullRequest) {
    throw new InputError(`input 'environment' is empty and this run is not a push to a branch that could pick one through deploy-on: ${hint}`);
  }
  const matching = environmentsForBranch(config, branch.name);
  if (matching.length === 1) {
    notes.push(`environment ${matching[0]}: its deploy-on in ${config.source.file} matches branch ${branch.name}`);
    return matching[0]!;
  }
  if (matching.length === 0) throw new InputError(`input 'environment' is empty and no environment in ${config.source.file} deploys on branch ${branch.name} (deploy-on): ${hint}`);
  throw new InputError(`input 'environment' is empty and several environments deploy on branch ${branch.name} (${matching.join(', ')}): give input 'environment' to pick one`);
}

/** The wait step's server and token, checked before anything runs; the step checks the rest of its inputs itself. */
function checkWait(request: PipelineRequest, wait: Record<string, string>, file: string, environment: string): void {
  const url = request.argocdUrl || wait['argocd-url'];
  if (!url) {
    throw new InputError(
      `the wait step needs the Argo CD server: set argocd.url in ${file} (for every environment, or under environments.${environment}.argocd) or give input 'argocd-url'`,
    );
  }
  if (!request.argocdToken) {
    throw new InputError("the wait step needs input 'argocd-token': an Argo CD API token allowed to get the Application, from a secret");
  }
  // gitops.yaml's argocd.url was checked when the file was loaded.
  if (request.argocdUrl) parseArgoCdUrl(request.argocdUrl, wait.insecure === 'true');
}

const NO_SLACK_NOTE =
  "no Slack credentials (input 'slack-webhook-url' or 'slack-bot-token'): the deploy message is printed to the log and summary, not sent";

/** The notify action's input names, as the root action calls them. */
const SLACK_INPUT_NAMES: Record<string, string> = {
  'webhook-url': 'slack-webhook-url',
  'bot-token': 'slack-bot-token',
  'api-url': 'slack-api-url',
  channel: 'slack-channel',
};

function slackDelivery(request: PipelineRequest, notify: Record<string, string>, notes: string[]): SlackDelivery {
  if (!request.slackWebhookUrl && !request.slackBotToken) {
    notes.push(NO_SLACK_NOTE);
    return 'print';
  }
  // The notify step checks these again; here they are checked before anything runs, in this action's terms.
  try {
    resolveSlackTarget({
      webhookUrl: request.slackWebhookUrl,
      botToken: request.slackBotToken,
      channel: request.slackBotToken ? request.slackChannel || notify.channel || '' : '',
      updateTs: '',
      thread: notify.thread === 'true',
      apiUrl: request.slackApiUrl,
      dryRun: request.dryRun,
    });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    let message = e.message.replace(/'(webhook-url|bot-token|api-url|channel)'/g, (_, name: string) => `'${SLACK_INPUT_NAMES[name]}'`);
    if (request.slackBotToken && !request.slackChannel && !notify.channel) message += ' (or set notify.slack.channel in gitops.yaml)';
    throw new InputError(message);
  }
  return request.slackBotToken ? 'web-api' : 'webhook';
}
