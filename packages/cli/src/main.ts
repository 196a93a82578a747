#!/usr/bin/env node
import { describeThrown } from '#core/errors/errors.js';
import { neutraliseLines } from '#core/log/neutralise.js';
import { retagCommand } from './retag-command.js';
import { UsageError } from './usage-error.js';

const USAGE = `usage: gitops-actions <command> [options]

commands:
  retag    point new tags, repositories or registries at an image without rebuilding

Run 'gitops-actions <command> --help' for a command's options.`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${neutraliseLines(line)}\n`);

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined) {
      err(USAGE);
      return 2;
    }
    if (command === '--help' || command === '-h' || command === 'help') {
      out(USAGE);
      return 0;
    }
    if (command === 'retag') await retagCommand(rest, process.env, out, err);
    else throw new UsageError(`unknown command '${command}'\n\n${USAGE}`);
    return 0;
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
