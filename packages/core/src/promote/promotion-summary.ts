import { inlineCode } from '../log/markdown.js';
import type { EnvironmentState } from './what-runs.js';

export interface PromotionReport {
  app: string;
  from: string;
  to: string;
  version: string;
  image: string;
  digest: string;
  state: EnvironmentState;
  dryRun: boolean;
  /** The commit step's outputs, when it ran. */
  commit: Record<string, string> | undefined;
  failure: string;
  /** What render and commit wrote to the summary: commit's has the diff of `to`'s desired state. */
  stepSummaries: readonly string[];
}

const SHOWN_HISTORY = 10;

function day(iso: string): string {
  return iso ? iso.replace('T', ' ').replace(/:\d\d([+-]\d\d:\d\d|Z)$/, ' $1').trim() : 'unknown';
}

/** The job summary, written for whoever approves the promotion: what moves, what it ran as before, what changes. */
export function promotionSummary(r: PromotionReport): string {
  const ran = r.state.history.find((h) => h.version === r.version);
  const result = r.failure
    ? `**failed**: ${r.failure.split('\n')[0]}`
    : r.dryRun
      ? 'dry run: nothing retagged, committed or sent'
      : r.commit?.['pull-request-url']
        ? `proposed in ${r.commit['pull-request-url']}`
        : r.commit?.changed === 'true'
          ? `committed ${r.commit['commit-sha']?.slice(0, 12) ?? ''}`
          : `no change: ${r.to} already runs this`;
  const lines = [
    `### promote ${inlineCode(r.app)}: ${r.version} from ${r.from} to ${r.to}`,
    '',
    '| | |',
    '|---|---|',
    `| version | **${r.version}** |`,
    `| image | ${inlineCode(`${r.image}@${r.digest}`)} |`,
    `| ${r.from} runs | ${r.state.current.version} since ${day(r.state.current.since)} |`,
    `| ${r.from} ran ${r.version} | ${ran ? `since ${day(ran.since)} (${inlineCode(ran.commit.slice(0, 12))})` : 'not in its recent history'} |`,
    `| result | ${result} |`,
    '',
    `<details><summary>Versions ${r.from} ran (newest first)</summary>`,
    '',
    '| version | since | commit |',
    '|---|---|---|',
    ...r.state.history.slice(0, SHOWN_HISTORY).map((h) => `| ${h.version} | ${day(h.since)} | ${inlineCode(h.commit.slice(0, 12))} |`),
    '',
    '</details>',
    '',
    ...r.stepSummaries,
  ];
  return lines.join('\n');
}
