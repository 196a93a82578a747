import { actionStep } from '#core/pipeline/action-step.js';
import { DEFAULT_STEPS_TEXT, parseSteps } from '#core/pipeline/pipeline-steps.js';
import { runPipeline } from '#core/pipeline/run-pipeline.js';
import { input } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';
import { buildAndPushAction } from '../../build-and-push/src/action.js';
import { notifyAction } from '../../notify/src/action.js';
import { renderAction } from '../../render/src/action.js';
import { versionAction } from '../../version/src/action.js';
import { waitForSyncAction } from '../../wait-for-sync/src/action.js';
import { commitStep } from './commit-step.js';

/**
 * The root action: the whole pipeline in one step. Each step is the
 * separate action's own definition, run in this process with its inputs
 * wired from gitops.yaml, the credentials below and the earlier steps'
 * outputs (packages/core/src/pipeline).
 */
export const pipelineAction = defineAction({
  name: 'pipeline',
  inputs: {
    config: input.string({ default: 'gitops.yaml' }),
    environment: input.string(),
    steps: { default: DEFAULT_STEPS_TEXT, parse: (raw: string, name: string) => parseSteps(raw, name) },
    version: input.string(),
    'image-digest': input.string(),
    'gitops-token': input.string({ secret: true }),
    'gitops-ssh-key': input.string({ secret: true }),
    'gitops-ssh-known-hosts': input.string(),
    'registry-username': input.string(),
    'registry-password': input.string({ secret: true }),
    'registry-insecure': input.boolean({ default: 'false' }),
    'slack-webhook-url': input.string({ secret: true }),
    'slack-bot-token': input.string({ secret: true }),
    'slack-channel': input.string(),
    'slack-api-url': input.string({ default: 'https://slack.com/api' }),
    'argocd-url': input.string(),
    'argocd-token': input.string({ secret: true }),
    'dry-run': input.boolean({ default: 'false' }),
  },
  outputs: ['version', 'digest', 'image-ref', 'commit-sha', 'commit-url', 'changed', 'pull-request-url', 'synced', 'healthy', 'environment', 'failed-step'],
  async run({ inputs, runtime, context, publish }) {
    await runPipeline(
      {
        config: inputs.config,
        environment: inputs.environment,
        steps: inputs.steps,
        version: inputs.version,
        imageDigest: inputs['image-digest'],
        gitopsToken: inputs['gitops-token'],
        gitopsSshKey: inputs['gitops-ssh-key'],
        gitopsSshKnownHosts: inputs['gitops-ssh-known-hosts'],
        registryUsername: inputs['registry-username'],
        registryPassword: inputs['registry-password'],
        registryInsecure: inputs['registry-insecure'],
        slackWebhookUrl: inputs['slack-webhook-url'],
        slackBotToken: inputs['slack-bot-token'],
        slackChannel: inputs['slack-channel'],
        slackApiUrl: inputs['slack-api-url'],
        argocdUrl: inputs['argocd-url'],
        argocdToken: inputs['argocd-token'],
        dryRun: inputs['dry-run'],
      },
      {
        version: actionStep(versionAction),
        build: actionStep(buildAndPushAction),
        render: actionStep(renderAction),
        commit: commitStep,
        wait: actionStep(waitForSyncAction),
        notify: actionStep(notifyAction),
      },
      { runtime, context, publish },
    );
  },
});
