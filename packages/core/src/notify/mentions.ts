import { InputError } from '../errors/errors.js';

/**
 * Who to ping when a deploy fails. Only Slack's explicit mention syntax is
 * accepted, so the value can go into the message unescaped and still cannot
 * carry a link or any other text: a user group `<!subteam^S0123>` (optionally
 * `<!subteam^S0123|@oncall>`), a user `<@U0123>` (or `W…` on Enterprise Grid),
 * or `<!here>` / `<!channel>`. Several may be given, separated by spaces or lines.
 */
const MENTION = /^(?:<!subteam\^[A-Z0-9]{2,30}(?:\|@[\w.-]{1,80})?>|<@[UW][A-Z0-9]{2,30}>|<!here>|<!channel>)$/;

const MAX_MENTIONS = 10;

export function parseMentions(raw: string, inputName = 'mention-on-failure'): string[] {
  const mentions = raw.split(/\s+/).filter((m) => m !== '');
  const bad = mentions.filter((m) => !MENTION.test(m));
  if (bad.length > 0) {
    const shown = bad[0]!.length > 40 ? `${bad[0]!.slice(0, 37)}...` : bad[0]!;
    throw new InputError(
      `input '${inputName}' takes Slack mentions only: a user group <!subteam^S0123>, a user <@U0123>, <!here> or <!channel> ` +
        `(IDs, not names: find a group's ID in its profile, a user's under "Copy member ID") (got '${shown}')`,
    );
  }
  const unique = [...new Set(mentions)];
  if (unique.length > MAX_MENTIONS) throw new InputError(`input '${inputName}' takes at most ${MAX_MENTIONS} mentions; mention a user group instead (got ${unique.length})`);
  return unique;
}
