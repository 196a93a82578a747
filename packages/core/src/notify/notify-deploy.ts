import { redact } from '../exec/redact.js';
import { neutraliseLine, neutraliseLines } from '../log/neutralise.js';
import type { Runtime } from '../runtime/runtime.js';
import { limitViolations, type SlackMessage } from './block-kit.js';
import { buildDeployMessages } from './deploy-message.js';
import type { DeployNotice } from './deploy-notice.js';
import type { SlackHttpOptions } from './slack-http.js';
import { SlackError } from './slack-error.js';
import type { SlackTarget } from './slack-target.js';
import { summaryMarkdown, type DeliveryReport } from './summary-markdown.js';
import { sendWebhook } from './webhook-transport.js';
import { callWebApi, type PostedMessage, type WebApiTarget } from './web-api-transport.js';

/**
 * The notify step: build the message from the notice, send it (or, in a dry
 * run, only show it), and write the same content to the job summary. A Slack
 * failure fails the step only with `failOnError`; otherwise it is a warning
 * and `sent` is false. Outputs are published before anything is sent, so a
 * failure still leaves `payload` behind.
 */

export interface NotifyOptions {
  notice: DeployNotice;
  target: SlackTarget;
  dryRun: boolean;
  failOnError: boolean;
  /** Retry timing and the like; the defaults are right outside tests. */
  http?: Omit<SlackHttpOptions, 'log' | 'secrets'>;
}

export interface NotifyOutputs {
  sent: boolean;
  ts: string;
  channel: string;
  /** The JSON of the main message as sent (or as it would have been). */
  payload: string;
}

/** chat.update failures where a fresh message is better than none. */
const UPDATE_FALLBACK = new Set(['message_not_found', 'cant_update_message', 'edit_window_closed']);

function describeTarget(target: SlackTarget): string {
  switch (target.kind) {
    case 'webhook':
      return `the incoming webhook on ${target.url.host}`;
    case 'web-api':
      return target.updateTs
        ? `chat.update of message ${target.updateTs} in ${target.channel} (Web API on ${target.apiUrl.host})`
        : `chat.postMessage to ${target.channel} (Web API on ${target.apiUrl.host})`;
    case 'none':
      return 'no Slack transport configured';
  }
}

function payloadFor(target: SlackTarget, message: SlackMessage): Record<string, unknown> {
  if (target.kind !== 'web-api') return { ...message };
  return target.updateTs ? { channel: target.channel, ts: target.updateTs, ...message } : { channel: target.channel, ...message };
}

function assertWithinLimits(name: string, message: SlackMessage | undefined): void {
  const problems = message ? limitViolations(message) : [];
  if (problems.length > 0) throw new Error(`the ${name} Slack message is over Slack's limits: ${problems.join('; ')}`);
}

export async function notifyDeploy(
  options: NotifyOptions,
  runtime: Runtime,
  publish: (outputs: Partial<NotifyOutputs>) => void = () => {},
): Promise<NotifyOutputs> {
  const { notice, target } = options;
  const built = await runtime.group('Build the Slack message', async () => {
    const messages = buildDeployMessages(notice, { thread: target.kind === 'web-api' && target.thread });
    runtime.info(`Status ${notice.status}; sending through ${describeTarget(target)}${options.dryRun ? ' (dry run: nothing is sent)' : ''}`);
    if (notice.status === 'failure' && notice.mentions.length > 0) runtime.info(`Failure: mentioning ${notice.mentions.join(' ')}`);
    else if (notice.mentions.length > 0) runtime.info(`Status ${notice.status}: no mention (mention-on-failure is for failures only)`);
    if (messages.details) runtime.info('The changelog goes to a reply in the message thread');
    for (const note of messages.notes) runtime.info(neutraliseLine(note));
    assertWithinLimits('main', messages.main);
    assertWithinLimits('thread', messages.details);
    assertWithinLimits('mention', messages.mentionReply);
    return messages;
  });

  const payload = JSON.stringify(payloadFor(target, built.main));
  const outputs: NotifyOutputs = { sent: false, ts: '', channel: '', payload };
  publish(outputs);

  let report: DeliveryReport;
  let failure: unknown;
  if (options.dryRun || target.kind === 'none') {
    await runtime.group('Slack payload (dry run, not sent)', async () => {
      runtime.info(neutraliseLines(JSON.stringify(JSON.parse(payload), null, 2)));
      if (built.details) runtime.info(neutraliseLines(`thread reply:\n${JSON.stringify(built.details, null, 2)}`));
    });
    report = { state: 'dry-run', where: describeTarget(target), payload: JSON.stringify(JSON.parse(payload), null, 2) };
  } else {
    runtime.debug(neutraliseLine(`Slack payload: ${payload}`));
    const http: SlackHttpOptions = { ...options.http, log: (m) => runtime.info(neutraliseLine(m)), secrets: runtime.secrets };
    try {
      report = await runtime.group(`Send to Slack: ${describeTarget(target)}`, () => deliver(target, built, http, runtime, outputs));
      outputs.sent = true;
      publish(outputs);
    } catch (error) {
      failure = error;
      report = { state: 'failed', where: describeTarget(target), error: safeMessage(error, runtime.secrets) };
    }
  }
  await runtime.summary(summaryMarkdown(notice, report));

  if (failure !== undefined) {
    const message = safeMessage(failure, runtime.secrets);
    if (options.failOnError) {
      throw failure instanceof SlackError ? new SlackError(failure.operation, failure.code, redact(failure.detail, runtime.secrets), failure.httpStatus) : failure;
    }
    runtime.warning(`${neutraliseLines(message)}\nThe notice was not sent; the step goes on because fail-on-error is false.`);
  }
  return outputs;
}

function safeMessage(error: unknown, secrets: readonly string[]): string {
  const text = error instanceof SlackError ? error.message : `unexpected error while sending to Slack: ${error instanceof Error ? error.message : String(error)}`;
  return redact(text, secrets);
}

async function deliver(
  target: Exclude<SlackTarget, { kind: 'none' }>,
  built: ReturnType<typeof buildDeployMessages>,
  http: SlackHttpOptions,
  runtime: Runtime,
  outputs: NotifyOutputs,
): Promise<DeliveryReport> {
  if (target.kind === 'webhook') {
    await sendWebhook(target.url, built.main, http);
    runtime.info(`Posted through the incoming webhook on ${target.url.host}`);
    return { state: 'posted', where: 'through the incoming webhook' };
  }
  const api: WebApiTarget = { apiUrl: target.apiUrl, token: target.token };
  const warn = (m: string) => runtime.warning(m);
  let posted: PostedMessage | undefined;
  let state: DeliveryReport['state'] = 'posted';
  if (target.updateTs) {
    try {
      posted = await callWebApi('chat.update', { channel: target.channel, ts: target.updateTs, ...built.main }, api, http, warn);
      state = 'updated';
      runtime.info(`Updated message ${posted.ts} in ${posted.channel}`);
    } catch (error) {
      if (!(error instanceof SlackError && UPDATE_FALLBACK.has(error.code))) throw error;
      runtime.warning(`${error.message}\nPosting a new message instead.`);
    }
  }
  if (!posted) {
    posted = await callWebApi('chat.postMessage', { channel: target.channel, ...built.main }, api, http, warn);
    runtime.info(`Posted message ${posted.ts} in ${posted.channel}`);
  }
  outputs.ts = posted.ts;
  outputs.channel = posted.channel;

  // The main message is out; a reply that fails is worth a warning, not a failed notice.
  const replies: [string, SlackMessage | undefined][] = [
    ['changelog', built.details],
    // An edited message notifies nobody, so on an update the mention goes out as a reply of its own.
    ['mention', state === 'updated' ? built.mentionReply : undefined],
  ];
  for (const [what, reply] of replies) {
    if (!reply) continue;
    try {
      const r = await callWebApi('chat.postMessage', { channel: posted.channel, thread_ts: posted.ts, ...reply }, api, http, warn);
      runtime.info(`Replied in the thread with the ${what} (${r.ts})`);
    } catch (error) {
      if (!(error instanceof SlackError)) throw error;
      runtime.warning(`The ${what} reply in the thread was not sent: ${error.message}`);
    }
  }
  return { state, where: `in ${posted.channel} (ts ${posted.ts})` };
}
