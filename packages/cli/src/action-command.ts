import { InputError } from '#core/errors/errors.js';
import { redact } from '#core/exec/redact.js';
import { readInputs } from '#core/runtime/run-action.js';
import { localContext } from '#core/runtime/local-context.js';
import { localRuntime } from '#core/runtime/local-runtime.js';
import type { ActionCommand } from './action-commands.js';
import { commandHelp } from './command-help.js';
import { inputFlags, type InputFlag } from './input-flags.js';
import { parseActionArgs, type SecretSources } from './parse-action-args.js';
import { formatOutputs } from './print-outputs.js';
import { UsageError } from './usage-error.js';

export interface CommandIo extends SecretSources {
  /** stdout: help and the output lines, nothing else, so scripts can parse it. */
  out(line: string): void;
  /** stderr: progress and errors; expected to defuse workflow commands (neutraliseLines). */
  err(line: string): void;
  /** Where relative paths on the command line start. */
  cwd: string;
}

/** `input 'app'` in an action's message becomes `--app`, the spelling the user typed. */
function inCommandLineTerms(message: string, flags: readonly InputFlag[]): string {
  return message.replace(/input '([^']+)'/g, (whole, name: string) => {
    const flag = flags.find((f) => f.input === name);
    if (!flag) return whole;
    return flag.secret ? `the secret ${name} (${flag.env}, --${name}-file or --${name}-stdin)` : `--${name}`;
  });
}

/**
 * Runs one action as a command: flags → the action's raw inputs → the same
 * runAction() the action's entry calls, with a terminal runtime. Returns the
 * exit code (0 ok, 1 the step failed); a wrong command line throws UsageError (2).
 */
export async function runActionCommand(command: ActionCommand, args: readonly string[], io: CommandIo): Promise<number> {
  const flags = inputFlags(command.inputs);
  // Help wins over a half-typed command line: `render --enviroment x --help` shows the flags, not an error.
  if (args.includes('--help') || args.includes('-h')) {
    io.out(commandHelp(command, flags));
    return 0;
  }
  const parsed = await parseActionArgs(command.name, args, flags, io);

  // Values (and missing required ones, all in one round) are checked before anything runs,
  // so exit code 2 always means nothing was attempted.
  try {
    await readInputs(command.inputs, { read: (name) => parsed.inputs[name] ?? '', workspace: io.cwd });
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    const message = redact(inCommandLineTerms(e.message, flags), parsed.secrets);
    throw new UsageError(`${message}\nrun 'gitops-actions ${command.name} --help' for its flags`);
  }

  // Lines reach io.err masked by the runtime; io.err defuses workflow commands (the CLI may run inside a GitHub job).
  const runtime = localRuntime(parsed.inputs, io.err);
  for (const secret of parsed.secrets) runtime.setSecret(secret);
  const context = await localContext(io.env, io.cwd);
  const ok = await command.run(runtime, context);

  const outputs = Object.fromEntries(command.outputs.map((name) => [name, redact(runtime.outputs[name] ?? '', runtime.secrets)]));
  for (const line of formatOutputs(outputs, parsed.json)) io.out(line);
  return ok ? 0 : 1;
}
