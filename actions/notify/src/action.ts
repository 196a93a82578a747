import { InputError } from '#core/errors/errors.js';
import { deployNotice } from '#core/notify/deploy-notice.js';
import { parseDeployStatus } from '#core/notify/deploy-status.js';
import { parseHealthStatus, parseSyncStatus } from '#core/notify/live-state.js';
import { parseMentions } from '#core/notify/mentions.js';
import { linkTarget } from '#core/notify/mrkdwn.js';
import { notifyDeploy } from '#core/notify/notify-deploy.js';
import { resolveSlackTarget } from '#core/notify/slack-target.js';
import { input, type InputSpec } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';

/** An optional http(s) link shown in the message. */
function link(): InputSpec<string> {
  return {
    parse: (raw, name) => {
      if (raw && !linkTarget(raw)) throw new InputError(`input '${name}' must be an http(s) URL (got '${raw.length > 80 ? `${raw.slice(0, 77)}...` : raw}')`);
      return raw;
    },
  };
}

export const notifyAction = defineAction({
  name: 'notify',
  inputs: {
    config: input.config('notify'),
    status: { required: true, parse: (raw: string, name: string) => parseDeployStatus(raw, name) },
    'webhook-url': input.string({ secret: true }),
    'bot-token': input.string({ secret: true }),
    channel: input.string(),
    'update-ts': input.string(),
    thread: input.boolean({ fallback: 'false' }),
    app: input.string(),
    environment: input.string(),
    version: input.string(),
    image: input.string(),
    'commit-url': link(),
    'gitops-commit-url': link(),
    'pull-request-url': link(),
    changelog: input.string(),
    'sync-status': { parse: (raw: string, name: string) => parseSyncStatus(raw, name) },
    'health-status': { parse: (raw: string, name: string) => parseHealthStatus(raw, name) },
    title: input.string(),
    fields: input.keyValues(),
    'mention-on-failure': { parse: (raw: string, name: string) => parseMentions(raw, name) },
    'fail-on-error': input.boolean({ fallback: 'false' }),
    'api-url': input.string({ default: 'https://slack.com/api' }),
    'dry-run': input.boolean({ default: 'false' }),
  },
  outputs: ['sent', 'ts', 'channel', 'payload'],
  async run({ inputs, runtime, context, publish }) {
    const target = resolveSlackTarget({
      webhookUrl: inputs['webhook-url'],
      botToken: inputs['bot-token'],
      channel: inputs.channel,
      updateTs: inputs['update-ts'],
      thread: inputs.thread,
      apiUrl: inputs['api-url'],
      dryRun: inputs['dry-run'],
    });
    // The path is the webhook's credential: masked on its own too, in case anything prints it without the host.
    if (target.kind === 'webhook' && target.url.pathname.length >= 8) runtime.setSecret(`${target.url.pathname}${target.url.search}`);
    const notice = deployNotice(
      {
        status: inputs.status,
        title: inputs.title,
        app: inputs.app,
        environment: inputs.environment,
        version: inputs.version,
        image: inputs.image,
        commitUrl: inputs['commit-url'],
        gitopsCommitUrl: inputs['gitops-commit-url'],
        pullRequestUrl: inputs['pull-request-url'],
        changelog: inputs.changelog,
        syncStatus: inputs['sync-status'],
        healthStatus: inputs['health-status'],
        fields: inputs.fields,
        mentions: inputs['mention-on-failure'],
      },
      context,
    );
    return notifyDeploy({ notice, target, dryRun: inputs['dry-run'], failOnError: inputs['fail-on-error'] }, runtime, publish);
  },
});
