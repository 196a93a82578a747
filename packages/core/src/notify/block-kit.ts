import { truncateMrkdwn, truncatePlain } from './mrkdwn.js';

/**
 * The slice of Block Kit a deploy notice uses, as types, and constructors that
 * clamp every text to Slack's documented limits so a message can never be
 * rejected for its size. Text is counted in UTF-16 units, which is never less
 * than what Slack counts.
 */

export const SLACK_LIMITS = {
  /** Blocks in one message, attachments included. */
  blocks: 50,
  /** A section's text. */
  sectionText: 3000,
  /** Fields in one section. */
  fields: 10,
  /** Each field's text. */
  fieldText: 2000,
  /** A header's plain_text. */
  headerText: 150,
  /** Elements in one context block. */
  contextElements: 10,
  /** The top-level `text`: Slack truncates beyond this and chat.postMessage answers msg_too_long. */
  messageText: 40_000,
  /**
   * All text in the blocks together. Not a documented hard limit, but Slack
   * rejects messages with msg_blocks_too_long from around 13,000; we stay under 12,000.
   */
  totalText: 12_000,
} as const;

export interface PlainText {
  type: 'plain_text';
  text: string;
  emoji: true;
}

/** `verbatim: true`: Slack links only what we formatted, never a bare `@here` or `#channel` in someone's commit message. */
export interface MrkdwnText {
  type: 'mrkdwn';
  text: string;
  verbatim: true;
}

export interface HeaderBlock {
  type: 'header';
  text: PlainText;
}

export interface SectionBlock {
  type: 'section';
  text?: MrkdwnText;
  fields?: MrkdwnText[];
}

export interface ContextBlock {
  type: 'context';
  elements: MrkdwnText[];
}

export interface DividerBlock {
  type: 'divider';
}

export type Block = HeaderBlock | SectionBlock | ContextBlock | DividerBlock;

export interface Attachment {
  color: string;
  blocks: Block[];
  /** Shown where blocks cannot be (old clients, notifications). */
  fallback: string;
}

/** A message as both transports take it; the Web API transport adds channel, ts and thread_ts. */
export interface SlackMessage {
  /** mrkdwn; the notification and screen-reader text. */
  text: string;
  blocks: Block[];
  attachments?: Attachment[];
  unfurl_links: false;
  unfurl_media: false;
}

export function plainText(text: string, max: number): PlainText {
  return { type: 'plain_text', text: truncatePlain(text, max), emoji: true };
}

/** `text` must already be escaped mrkdwn. */
export function mrkdwnText(text: string, max: number): MrkdwnText {
  return { type: 'mrkdwn', text: truncateMrkdwn(text, max), verbatim: true };
}

export function header(text: string): HeaderBlock {
  return { type: 'header', text: plainText(text, SLACK_LIMITS.headerText) };
}

export function section(mrkdwn: string): SectionBlock {
  return { type: 'section', text: mrkdwnText(mrkdwn, SLACK_LIMITS.sectionText) };
}

/** One or more sections of at most 10 fields each. */
export function fieldSections(fields: readonly string[]): SectionBlock[] {
  const out: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.fields) {
    out.push({
      type: 'section',
      fields: fields.slice(i, i + SLACK_LIMITS.fields).map((f) => mrkdwnText(f, SLACK_LIMITS.fieldText)),
    });
  }
  return out;
}

export function context(elements: readonly string[]): ContextBlock {
  return {
    type: 'context',
    elements: elements.slice(0, SLACK_LIMITS.contextElements).map((e) => mrkdwnText(e, SLACK_LIMITS.sectionText)),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

/** Every text a block carries, for budgeting. */
export function blockTexts(block: Block): string[] {
  switch (block.type) {
    case 'header':
      return [block.text.text];
    case 'section':
      return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((f) => f.text)];
    case 'context':
      return block.elements.map((e) => e.text);
    case 'divider':
      return [];
  }
}

export function allBlocks(message: Pick<SlackMessage, 'blocks' | 'attachments'>): Block[] {
  return [...message.blocks, ...(message.attachments ?? []).flatMap((a) => a.blocks)];
}

/** Characters of text in all blocks together. */
export function textLength(blocks: readonly Block[]): number {
  return blocks.reduce((n, b) => n + blockTexts(b).reduce((m, t) => m + t.length, 0), 0);
}

/**
 * Checks a message against the limits; the list of what is over, empty when
 * it fits. The builder's own guarantee, asserted in tests and before sending.
 */
export function limitViolations(message: SlackMessage): string[] {
  const problems: string[] = [];
  const blocks = allBlocks(message);
  if (blocks.length > SLACK_LIMITS.blocks) problems.push(`${blocks.length} blocks (limit ${SLACK_LIMITS.blocks})`);
  if (message.text.length > SLACK_LIMITS.messageText) problems.push(`text of ${message.text.length} characters`);
  blocks.forEach((b, i) => {
    if (b.type === 'header' && b.text.text.length > SLACK_LIMITS.headerText) problems.push(`block ${i}: header over ${SLACK_LIMITS.headerText}`);
    if (b.type === 'section') {
      if (b.text && b.text.text.length > SLACK_LIMITS.sectionText) problems.push(`block ${i}: section text over ${SLACK_LIMITS.sectionText}`);
      if ((b.fields?.length ?? 0) > SLACK_LIMITS.fields) problems.push(`block ${i}: more than ${SLACK_LIMITS.fields} fields`);
      if (b.fields?.some((f) => f.text.length > SLACK_LIMITS.fieldText)) problems.push(`block ${i}: a field over ${SLACK_LIMITS.fieldText}`);
    }
    if (b.type === 'context' && b.elements.length > SLACK_LIMITS.contextElements) problems.push(`block ${i}: more than ${SLACK_LIMITS.contextElements} context elements`);
  });
  const total = textLength(blocks) + message.text.length;
  if (total >= SLACK_LIMITS.totalText) problems.push(`${total} characters of text in all (kept under ${SLACK_LIMITS.totalText})`);
  return problems;
}
