import { ToolError } from '../errors/errors.js';

/**
 * Slack refused or could not be reached. A ToolError, so the wrapper shows it
 * as an external failure (message only, no stack). `code` is Slack's error
 * string (`channel_not_found`) or ours (`http_503`, `network`), for callers
 * that react to particular failures.
 */
export class SlackError extends ToolError {
  constructor(
    /** `chat.postMessage`, `chat.update` or `incoming webhook`. */
    readonly operation: string,
    readonly code: string,
    /** What happened and what to do; never contains the webhook URL or token. */
    readonly detail: string,
    readonly httpStatus?: number,
  ) {
    super(`Slack ${operation}`, null, '', detail);
  }
}

/** What to do about a Web API `ok: false` error. */
export function webApiHint(code: string, at: { method: string; channel: string; needed?: string }): string {
  const channel = at.channel ? `'${at.channel}'` : 'the channel';
  switch (code) {
    case 'channel_not_found':
      return at.method === 'chat.update'
        ? `Slack cannot find ${channel}: chat.update needs the channel ID (C…), e.g. the 'channel' output of the step that posted, and the app must be in that channel`
        : `Slack cannot find ${channel}: check the name or ID; a private channel is invisible to the app until it is invited (/invite @your-app in the channel)`;
    case 'not_in_channel':
      return `the app is not a member of ${channel}: invite it there (/invite @your-app), or grant it the chat:write.public scope for public channels`;
    case 'is_archived':
      return `${channel} is archived: unarchive it or post somewhere else`;
    case 'invalid_auth':
    case 'not_authed':
    case 'token_revoked':
    case 'token_expired':
    case 'account_inactive':
      return `Slack rejected the bot-token: check that the secret holds the current bot token (xoxb-…) of an app installed in the workspace`;
    case 'missing_scope':
      return `the bot token lacks a scope${at.needed ? ` (Slack needs: ${at.needed})` : ''}: add it under OAuth & Permissions and reinstall the app`;
    case 'msg_too_long':
      return `Slack found the message text too long; the text is limited before sending, so please report this as a bug with the 'payload' output`;
    case 'msg_blocks_too_long':
    case 'invalid_blocks':
    case 'invalid_blocks_format':
    case 'invalid_attachments':
      return `Slack rejected the message layout; please report this as a bug with the 'payload' output`;
    case 'message_not_found':
      return `there is no message with that update-ts in ${channel}`;
    case 'cant_update_message':
      return `the message at update-ts was not posted by this app, so it cannot be edited`;
    case 'edit_window_closed':
      return `the workspace no longer allows editing that message`;
    case 'restricted_action':
    case 'ekm_access_denied':
    case 'access_denied':
      return `a workspace policy stops the app from posting in ${channel}`;
    case 'ratelimited':
    case 'rate_limited':
      return `Slack rate-limited the app`;
    default:
      return `Slack answered ${code}`;
  }
}

/** What to do about an incoming webhook's answer; Slack puts a short code in the body. */
export function webhookHint(status: number, code: string): string {
  switch (code) {
    case 'invalid_payload':
      return `Slack could not read the payload; please report this as a bug with the 'payload' output`;
    case 'no_text':
      return `Slack found no text in the payload; please report this as a bug with the 'payload' output`;
    case 'user_not_found':
    case 'channel_not_found':
      return `the webhook's channel no longer exists: create a new incoming webhook and update the secret`;
    case 'channel_is_archived':
      return `the webhook's channel is archived: unarchive it, or create a webhook for another channel and update the secret`;
    case 'action_prohibited':
      return `a workspace policy stops this webhook from posting to its channel`;
    case 'invalid_token':
    case 'no_service':
    case 'no_active_hooks':
      return `the webhook URL is not valid (revoked, or the app was removed): create a new incoming webhook and update the secret`;
    case 'posting_to_general_channel_denied':
      return `only admins may post to the workspace's general channel`;
    default:
      if (status === 403) return `Slack refused the webhook (HTTP 403): it may have been revoked or a workspace policy stops it`;
      if (status === 404) return `Slack does not know this webhook (HTTP 404): it was probably revoked; create a new one and update the secret`;
      if (status === 410) return `the webhook's channel is gone (HTTP 410): create a new incoming webhook`;
      return `Slack answered HTTP ${status}${code ? ` ${code}` : ''}`;
  }
}
