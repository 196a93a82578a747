import { actionStep } from '#core/pipeline/action-step.js';
import { runPromotion } from '#core/promote/run-promotion.js';
import { input } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';
import { commitToGitopsAction } from '../../commit-to-gitops/src/action.js';
import { notifyAction } from '../../notify/src/action.js';
import { renderAction } from '../../render/src/action.js';

/**
 * Promotion, for workflow_dispatch: what `from` runs (or ran) moves on to
 * `to` as the very same image digest, rendered with `to`'s values and
 * committed to `to`'s GitOps repository (packages/core/src/promote). Render,
 * commit and notify are the separate actions' own code, run in this process.
 */
export const promoteAction = defineAction({
  name: 'promote',
  inputs: {
    config: input.string({ default: 'gitops.yaml' }),
    from: input.string(),
    to: input.string({ required: true }),
    version: input.string(),
    image: input.string(),
    'deny-versions': input.list(),
    'allow-downgrade': input.boolean({ default: 'false' }),
    'allow-untested': input.boolean({ default: 'false' }),
    'gitops-token': input.string({ secret: true }),
    'from-gitops-token': input.string({ secret: true }),
    'registry-username': input.string(),
    'registry-password': input.string({ secret: true }),
    'registry-insecure': input.boolean({ default: 'false' }),
    'slack-webhook-url': input.string({ secret: true }),
    'slack-bot-token': input.string({ secret: true }),
    'slack-channel': input.string(),
    'slack-api-url': input.string({ default: 'https://slack.com/api' }),
    'dry-run': input.boolean({ default: 'false' }),
  },
  outputs: ['version', 'digest', 'commit-sha', 'commit-url', 'pull-request-url', 'changed'],
  async run({ inputs, runtime, context, publish }) {
    await runPromotion(
      {
        config: inputs.config,
        from: inputs.from,
        to: inputs.to,
        version: inputs.version,
        image: inputs.image,
        denyVersions: inputs['deny-versions'],
        allowDowngrade: inputs['allow-downgrade'],
        allowUntested: inputs['allow-untested'],
        gitopsToken: inputs['gitops-token'],
        fromGitopsToken: inputs['from-gitops-token'],
        registryUsername: inputs['registry-username'],
        registryPassword: inputs['registry-password'],
        registryInsecure: inputs['registry-insecure'],
        slackWebhookUrl: inputs['slack-webhook-url'],
        slackBotToken: inputs['slack-bot-token'],
        slackChannel: inputs['slack-channel'],
        slackApiUrl: inputs['slack-api-url'],
        dryRun: inputs['dry-run'],
      },
      { render: actionStep(renderAction), commit: actionStep(commitToGitopsAction), notify: actionStep(notifyAction) },
      { runtime, context, publish },
    );
  },
});
