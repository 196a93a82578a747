#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { describeThrown } from '#core/errors/errors.js';
import { neutraliseLines } from '#core/log/neutralise.js';
import { closest } from '#core/schema/did-you-mean.js';
import { runActionCommand, type CommandIo } from './action-command.js';
import { actionCommands } from './action-commands.js';
import { rootHelp } from './command-help.js';
import { importEcsCommand } from './import-ecs-command.js';
import { retagCommand } from './retag-command.js';
import { UsageError } from './usage-error.js';

const OTHER_COMMANDS = [
  { name: 'retag', summary: 'point new tags, repositories or registries at an image without rebuilding' },
  { name: 'import-ecs', summary: 'convert an ECS task definition (and service) into monochart values and a conversion report' },
];
const USAGE = rootHelp(actionCommands, OTHER_COMMANDS);
const COMMAND_NAMES = [...actionCommands.map((c) => c.name), ...OTHER_COMMANDS.map((c) => c.name)];

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${neutraliseLines(line)}\n`);

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      err(USAGE);
      return 2;
    }
    if (command === '--help' || command === '-h') {
      out(USAGE);
      return 0;
    }
    if (command === 'help') {
      // `gitops-actions help render` is `gitops-actions render --help`.
      return rest.length === 0 ? (out(USAGE), 0) : main([rest[0]!, '--help']);
    }
    if (command === 'retag') {
      await retagCommand(rest, process.env, out, err);
      return 0;
    }
    if (command === 'import-ecs') {
      await importEcsCommand(rest, { out, err, cwd: process.cwd() });
      return 0;
    }
    const action = actionCommands.find((c) => c.name === command);
    if (!action) {
      const guess = closest(command, COMMAND_NAMES);
      throw new UsageError(`unknown command '${command}'${guess ? ` (did you mean '${guess}'?)` : ''}; run 'gitops-actions --help' for the commands`);
    }
    const io: CommandIo = { out, err, env: process.env, cwd: process.cwd(), readFile: (path) => readFileSync(path, 'utf8'), readStdin };
    return await runActionCommand(action, rest, io);
  } catch (thrown) {
    if (thrown instanceof UsageError) {
      err(`gitops-actions: ${thrown.message}`);
      return 2;
    }
    const { message, isBug, stack } = describeThrown(thrown);
    err(`gitops-actions: ${message}`);
    if (isBug && stack) err(stack);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
