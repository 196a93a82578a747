import type { InputSpec } from '#core/runtime/inputs.js';
import type { ActionCommand } from './action-commands.js';
import { actionDocs } from './generated/action-docs.js';
import type { InputFlag } from './input-flags.js';

const WIDTH = 80;
const INDENT = '      ';

export const EXIT_CODES = `exit codes:
  0  the step succeeded
  1  the step failed (its error is the last line on stderr)
  2  the command line is wrong (unknown flag, missing or invalid value, a secret
     on argv); nothing was run`;

/** Greedy word wrap; line breaks the author wrote (lists in `|` descriptions) are kept. */
export function wrap(text: string, indent: string, width = WIDTH): string {
  const lines: string[] = [];
  for (const paragraph of text.trim().split('\n')) {
    let line = '';
    for (const word of paragraph.split(/\s+/).filter(Boolean)) {
      if (line && indent.length + line.length + 1 + word.length > width) {
        lines.push(indent + line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    lines.push(indent + line);
  }
  return lines.join('\n');
}

function flagLine(flag: InputFlag): string {
  // Two lines: long input names would push one past the 100 columns help keeps to.
  if (flag.secret) return `--${flag.input}-file <path> | --${flag.input}-stdin\n    or $${flag.env}`;
  if (flag.kind === 'boolean') return `--${flag.input}[=true|false], --no-${flag.input}`;
  if (flag.kind === 'list') return `--${flag.input} <value>  (repeatable)`;
  return `--${flag.input} <value>`;
}

/** `spec` is the input's declaration: an input gitops.yaml can set has its built-in default there as `fallback`. */
function flagNotes(flag: InputFlag, spec: InputSpec | undefined): string {
  const notes: string[] = [];
  if (flag.required) notes.push('required');
  if (spec?.required === 'or-config') notes.push('required unless --config sets it');
  if (flag.secret) notes.push('secret');
  const shown = flag.default || spec?.fallback || '';
  if (shown !== '') {
    notes.push(`default: ${shown.includes('\n') ? shown.trim().split('\n').map((l) => l.trim()).join(', ') : shown}`);
  }
  return notes.length > 0 ? `  [${notes.join('; ')}]` : '';
}

function configurable(command: ActionCommand): boolean {
  return Object.values(command.inputs).some((spec) => spec.configFor !== undefined);
}

export function commandHelp(command: ActionCommand, flags: readonly InputFlag[]): string {
  const docs = actionDocs[command.action];
  const required = flags.filter((f) => f.required && !f.secret).map((f) => `--${f.input} <value>`);
  const sections = [
    `usage: gitops-actions ${command.name} ${[...required, '[options]'].join(' ')}`,
    wrap(docs?.description ?? command.summary, ''),
    wrap(
      `The same step as the ${command.action} action: each flag is one of its inputs (actions/${command.action}/action.yml), ` +
        `a list is given as a repeated flag, and secrets come from the environment, a file or stdin, never from the command line.` +
        (configurable(command)
          ? ' With --config gitops.yaml, the file gives what the flags leave out: a flag wins over the file, the file over the defaults.'
          : ''),
      '',
    ),
    [
      'inputs:',
      ...flags.map((flag) => `  ${flagLine(flag)}${flagNotes(flag, command.inputs[flag.input])}\n${wrap(docs?.inputs[flag.input] ?? '', INDENT)}`),
    ].join('\n'),
    [
      'outputs, one name=value line each on stdout:',
      ...command.outputs.map((name) => `  ${name}\n${wrap(docs?.outputs[name] ?? '', INDENT)}`),
    ].join('\n'),
    [
      'options:',
      '  --json      print the outputs as one JSON object of strings instead',
      '  -h, --help  show this help',
    ].join('\n'),
    wrap(
      'A value with a line break (or starting with ") is printed as a JSON string. ' +
        'Progress and errors go to stderr, with secrets masked.',
      '',
    ),
    EXIT_CODES,
  ];
  return sections.join('\n\n');
}

export function rootHelp(commands: readonly ActionCommand[], extra: readonly { name: string; summary: string }[]): string {
  const all = [...commands.map((c) => ({ name: c.name, summary: c.summary })), ...extra];
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    'usage: gitops-actions <command> [options]',
    wrap(
      'The steps of the gitops-actions GitHub Actions, from a terminal or another CI system. ' +
        'Each command takes the inputs of its action as --flags and prints its outputs as name=value lines.',
      '',
    ),
    ['commands:', ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`)].join('\n'),
    "Run 'gitops-actions <command> --help' for a command's flags.",
    [
      'secrets (tokens, passwords, webhook URLs) are never taken from the command line:',
      '  GITOPS_ACTIONS_<INPUT> in the environment (e.g. GITOPS_ACTIONS_TOKEN),',
      '  or --<input>-file <path>, or --<input>-stdin',
    ].join('\n'),
    EXIT_CODES,
  ].join('\n\n');
}
