import { actionStep } from '#core/pipeline/action-step.js';
import { input } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';
import { runVerify } from '#core/verify/run-verify.js';
import { notifyAction } from '../../notify/src/action.js';
import { renderAction } from '../../render/src/action.js';

/**
 * Drift detection, for a scheduled workflow: every environment of the
 * gitops.yaml files rendered again from its source and compared, file by
 * file, with what its GitOps repository holds (packages/core/src/verify).
 * Render and notify are the separate actions' own code, run in this process.
 */
export const verifyAction = defineAction({
  name: 'verify',
  inputs: {
    config: input.list({ default: 'gitops.yaml' }),
    environments: input.list(),
    'gitops-token': input.string({ secret: true }),
    image: input.string(),
    'fail-on-drift': input.boolean({ default: 'true' }),
    'slack-webhook-url': input.string({ secret: true }),
    'slack-bot-token': input.string({ secret: true }),
    'slack-channel': input.string(),
    'slack-api-url': input.string({ default: 'https://slack.com/api' }),
  },
  outputs: ['drifted', 'drift', 'checked'],
  async run({ inputs, runtime, context, publish }) {
    await runVerify(
      {
        configs: inputs.config,
        environments: inputs.environments.flatMap((line) => line.split(',')).map((e) => e.trim()).filter(Boolean),
        gitopsToken: inputs['gitops-token'],
        image: inputs.image,
        failOnDrift: inputs['fail-on-drift'],
        slackWebhookUrl: inputs['slack-webhook-url'],
        slackBotToken: inputs['slack-bot-token'],
        slackChannel: inputs['slack-channel'],
        slackApiUrl: inputs['slack-api-url'],
      },
      { render: actionStep(renderAction), notify: actionStep(notifyAction) },
      { runtime, context, publish },
    );
  },
});
