import {
  context,
  fieldSections,
  header,
  SLACK_LIMITS,
  section,
  textLength,
  type Block,
  type SectionBlock,
  type SlackMessage,
} from './block-kit.js';
import type { DeployNotice } from './deploy-notice.js';
import { defaultHeadline, statusLook } from './deploy-status.js';
import { liveHeadline, liveStateText } from './live-state.js';
import { markdownToMrkdwn } from './markdown-to-mrkdwn.js';
import { escapeMrkdwn, linkTarget, mrkdwnLink, truncateMrkdwn, truncatePlain } from './mrkdwn.js';

/**
 * The deploy notice as Slack messages: a header with the status emoji, then a
 * bar in the status colour holding the facts (fields), the commit, the
 * changelog and the links. Every piece but the changelog has its own cap,
 * and the changelog gets what is left of the total, so the message stays
 * under Slack's limits whatever the inputs; what had to be cut is said in the
 * message and in `notes`.
 */

export interface DeployMessages {
  main: SlackMessage;
  /** The changelog as a thread reply: only with `thread` and a changelog. */
  details?: SlackMessage;
  /** The failure mention as a message of its own, for when the main one is an edit (edits do not notify). */
  mentionReply?: SlackMessage;
  /** What was shortened or left out, for the log. */
  notes: string[];
}

const FALLBACK_MAX = 500;
const FIELDS_BUDGET = 4000;
const USER_FIELD_MAX = 1000;
const COMMIT_MESSAGE_MAX = 1500;
const COMMIT_MESSAGE_LINES = 20;
const LINK_URL_MAX = 500;
/** Each of app, environment, version, actor; the image gets more room for its digest. */
const FACT_MAX = 200;
const IMAGE_MAX = 500;
/** Kept back from the changelog for the line that says it was cut. */
const TRUNCATION_NOTE_RESERVE = 400;

export function headline(notice: DeployNotice): string {
  if (notice.title) return notice.title;
  const what = [notice.app || 'the app', notice.version].filter(Boolean).join(' ');
  return liveHeadline(notice.status, what, notice.environment, notice.live) ?? defaultHeadline(notice.status, what, notice.environment);
}

function link(url: string, label: string): string | undefined {
  return url.length <= LINK_URL_MAX && linkTarget(url) ? mrkdwnLink(url, label) : undefined;
}

function mentionsFor(notice: DeployNotice): readonly string[] {
  return notice.status === 'failure' ? notice.mentions : [];
}

function fallbackText(notice: DeployNotice): string {
  const look = statusLook(notice.status);
  const mentions = mentionsFor(notice);
  const mentionText = mentions.length > 0 ? ` ${mentions.join(' ')}` : '';
  const line = truncateMrkdwn(`${look.emoji} ${escapeMrkdwn(headline(notice))}`, FALLBACK_MAX - mentionText.length);
  return `${line}${mentionText}`;
}

function factFields(notice: DeployNotice, notes: string[]): string[] {
  const look = statusLook(notice.status);
  const fields: string[] = [];
  const add = (label: string, value: string) => fields.push(`*${label}*\n${value}`);
  const fact = (value: string, max = FACT_MAX) => truncateMrkdwn(escapeMrkdwn(value), max);
  if (notice.app) add('App', fact(notice.app));
  if (notice.environment) add('Environment', fact(notice.environment));
  if (notice.version) add('Version', fact(notice.version));
  add('Status', `${look.emoji} ${look.label}`);
  if (liveStateText(notice.live)) add('Argo CD', fact(liveStateText(notice.live)));
  if (notice.image) add('Image', `\`${fact(notice.image, IMAGE_MAX)}\``);
  if (notice.actor) add('By', fact(notice.actor));
  if (notice.sha) add('Commit', link(notice.commitUrl, notice.sha.slice(0, 7)) ?? `\`${fact(notice.sha.slice(0, 7))}\``);
  let fieldBudget = FIELDS_BUDGET - fields.reduce((n, f) => n + f.length, 0);
  let dropped = 0;
  for (const { label, value } of notice.fields) {
    const shownLabel = truncateMrkdwn(escapeMrkdwn(label), 100);
    const room = Math.min(USER_FIELD_MAX, fieldBudget) - shownLabel.length - 3;
    if (room < 20) {
      dropped++;
      continue;
    }
    const escaped = escapeMrkdwn(value);
    const shown = truncateMrkdwn(escaped, room);
    if (shown !== escaped) notes.push(`field '${label}' shortened to ${shown.length} characters`);
    const text = `*${shownLabel}*\n${shown}`;
    fields.push(text);
    fieldBudget -= text.length;
  }
  if (dropped > 0) notes.push(`${dropped} field(s) left out: fields may hold ${FIELDS_BUDGET} characters in all`);
  return fields;
}

function commitSection(notice: DeployNotice, notes: string[]): SectionBlock | undefined {
  const message = notice.commitMessage.replace(/\r\n?/g, '\n').trim();
  if (!message) return undefined;
  let lines = message.split('\n');
  if (lines.length > COMMIT_MESSAGE_LINES) {
    notes.push(`commit message shortened to its first ${COMMIT_MESSAGE_LINES} of ${lines.length} lines`);
    lines = [...lines.slice(0, COMMIT_MESSAGE_LINES), '…'];
  }
  // A quote keeps the commit message visibly someone else's words; `>` here is ours, so it stays raw.
  const quoted = lines.map((l) => `>${escapeMrkdwn(l)}`).join('\n');
  const text = truncateMrkdwn(quoted, COMMIT_MESSAGE_MAX);
  return section(text);
}

function linkLine(notice: DeployNotice, extra: readonly string[], notes: string[]): string | undefined {
  const given = (url: string, label: string) => {
    const shown = url ? link(url, label) : undefined;
    if (url && !shown) notes.push(`the ${label} link is left out: its URL is longer than ${LINK_URL_MAX} characters`);
    return shown;
  };
  const links = [
    link(notice.runUrl, 'Workflow run'),
    given(notice.gitopsCommitUrl, 'GitOps commit'),
    given(notice.pullRequestUrl, 'GitOps pull request'),
    notice.repository ? (link(notice.repositoryUrl, notice.repository) ?? escapeMrkdwn(notice.repository)) : undefined,
  ].filter((l): l is string => l !== undefined);
  const all = [...links, ...extra];
  return all.length > 0 ? all.join('  ·  ') : undefined;
}

interface PackedChangelog {
  blocks: SectionBlock[];
  shownLines: number;
  totalLines: number;
  cut: boolean;
}

/** Changelog lines into sections of at most 3,000 characters, within `chars` and `maxBlocks`. */
export function packChangelog(title: string, changelog: string, chars: number, maxBlocks: number): PackedChangelog {
  const lines = markdownToMrkdwn(changelog.trim());
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const blocks: SectionBlock[] = [];
  let chunk = title;
  let used = 0;
  let shown = 0;
  let shortened = false;
  for (const raw of lines) {
    // Short enough to share a section with the title, so a first long line never leaves the title alone.
    const line = truncateMrkdwn(raw, SLACK_LIMITS.sectionText - title.length - 1);
    const joined = chunk ? `${chunk}\n${line}` : line;
    if (joined.length <= SLACK_LIMITS.sectionText) {
      if (used + joined.length > chars) break;
      chunk = joined;
    } else {
      // This section is full: close it, if another one may follow.
      if (blocks.length + 1 >= maxBlocks) break;
      if (chunk.trim()) blocks.push(section(chunk));
      used += chunk.length;
      if (used + line.length > chars) {
        chunk = '';
        break;
      }
      chunk = line;
    }
    shown++;
    if (line !== raw) shortened = true;
  }
  if (shown > 0 && chunk.trim() && blocks.length < maxBlocks) blocks.push(section(chunk));
  return { blocks, shownLines: shown, totalLines: lines.length, cut: shortened || shown < lines.length };
}

function truncationNote(notice: DeployNotice, packed: PackedChangelog): string {
  const left = packed.totalLines - packed.shownLines;
  const what = left > 0 ? `${left} more line${left === 1 ? '' : 's'} of the changelog ${left === 1 ? 'is' : 'are'} not shown here` : 'Long changelog lines were shortened';
  const where = link(notice.runUrl, 'the full changelog is in the run summary');
  return `_${what}${where ? `: ${where}` : ''}_`;
}

/** Changelog sections plus, when cut, the line that says so: within `chars` and `maxBlocks` together. */
function changelogBlocks(notice: DeployNotice, title: string, chars: number, maxBlocks: number, notes: string[]): Block[] {
  if (!notice.changelog.trim()) return [];
  let packed = packChangelog(title, notice.changelog, chars, maxBlocks);
  if (!packed.cut) return packed.blocks;
  packed = packChangelog(title, notice.changelog, chars - TRUNCATION_NOTE_RESERVE, maxBlocks - 1);
  notes.push(
    `changelog cut to ${packed.shownLines} of ${packed.totalLines} lines to stay within Slack's limits; the job summary has all of it`,
  );
  return [...packed.blocks, context([truncationNote(notice, packed)])];
}

export function buildDeployMessages(notice: DeployNotice, options: { thread: boolean }): DeployMessages {
  const look = statusLook(notice.status);
  const notes: string[] = [];
  const title = headline(notice);
  const text = fallbackText(notice);

  const top: Block[] = [header(`${look.emoji} ${title}`)];
  if (title.length + look.emoji.length + 1 > SLACK_LIMITS.headerText) notes.push(`headline shortened to ${SLACK_LIMITS.headerText} characters`);

  // Everything but the changelog is capped piece by piece (well under the total together); the changelog gets what is left.
  const body: Block[] = [];
  const mentions = mentionsFor(notice);
  if (mentions.length > 0) {
    const run = link(notice.runUrl, 'see the run');
    body.push(section(`${mentions.join(' ')} the deploy failed${run ? `: ${run}` : ''}`));
  }
  body.push(...fieldSections(factFields(notice, notes)));
  const commit = commitSection(notice, notes);
  if (commit) body.push(commit);

  const threaded = options.thread && notice.changelog.trim() !== '';
  const links = linkLine(notice, threaded ? ['changelog in the thread'] : [], notes);
  const linkBlock = links ? context([links]) : undefined;

  if (!threaded) {
    const fixed = [...top, ...body, ...(linkBlock ? [linkBlock] : [])];
    const chars = SLACK_LIMITS.totalText - 1 - text.length - textLength(fixed);
    body.push(...changelogBlocks(notice, '*Changelog*', chars, SLACK_LIMITS.blocks - fixed.length, notes));
  }
  if (linkBlock) body.push(linkBlock);

  const main: SlackMessage = {
    text,
    blocks: top,
    attachments: [{ color: look.color, fallback: truncatePlain(title, FALLBACK_MAX), blocks: body }],
    unfurl_links: false,
    unfurl_media: false,
  };

  let details: SlackMessage | undefined;
  if (threaded) {
    const what = [notice.app, notice.version].filter(Boolean).join(' ');
    const detailsText = truncateMrkdwn(escapeMrkdwn(`Changelog${what ? ` of ${what}` : ''}`), FALLBACK_MAX);
    const blocks = changelogBlocks(notice, `*${detailsText}*`, SLACK_LIMITS.totalText - 1 - detailsText.length, SLACK_LIMITS.blocks, notes);
    details = { text: detailsText, blocks, unfurl_links: false, unfurl_media: false };
  }

  let mentionReply: SlackMessage | undefined;
  if (mentions.length > 0) {
    const run = link(notice.runUrl, 'see the run');
    const line = `${mentions.join(' ')} ${look.emoji} ${truncateMrkdwn(escapeMrkdwn(title), 300)}${run ? ` (${run})` : ''}`;
    mentionReply = { text: line, blocks: [section(line)], unfurl_links: false, unfurl_media: false };
  }
  return { main, ...(details ? { details } : {}), ...(mentionReply ? { mentionReply } : {}), notes };
}
