import { describeThrown } from '../errors/errors.js';
import { neutraliseLines } from '../log/neutralise.js';
import { parseInputs, type InputSpecs, type ParsedInputs } from './inputs.js';
import type { RunContext, Runtime } from './runtime.js';

/** Strings as they are; lists of strings one per line; anything structured as JSON. */
export type OutputValue = string | number | boolean | readonly unknown[] | Record<string, unknown>;

export interface ActionInvocation<S extends InputSpecs, O extends string> {
  inputs: ParsedInputs<S>;
  runtime: Runtime;
  context: RunContext;
  /** Publish outputs as soon as they are known, so a later failure still leaves them. */
  publish(outputs: Partial<Record<O, OutputValue>>): void;
}

export interface ActionDefinition<S extends InputSpecs, O extends string> {
  name: string;
  inputs: S;
  outputs: readonly O[];
  run(invocation: ActionInvocation<S, O>): Promise<Partial<Record<O, OutputValue>> | void>;
}

/** Declares an action; the identity function that makes TypeScript infer S and O. */
export function defineAction<S extends InputSpecs, const O extends string>(
  definition: ActionDefinition<S, O>,
): ActionDefinition<S, O> {
  return definition;
}

function outputText(value: OutputValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value.join('\n');
  return JSON.stringify(value);
}

/**
 * The one wrapper every action entry calls: parse inputs, run, write every
 * declared output (empty when the action did not produce it), and turn
 * anything thrown into a failed step with exit code 1.
 */
export async function runAction<S extends InputSpecs, O extends string>(
  definition: ActionDefinition<S, O>,
  runtime: Runtime,
  context: RunContext,
): Promise<boolean> {
  const produced: Partial<Record<O, OutputValue>> = {};
  const publish = (outputs: Partial<Record<O, OutputValue>>) => {
    for (const [name, value] of Object.entries(outputs) as [O, OutputValue | undefined][]) {
      if (!definition.outputs.includes(name)) throw new Error(`action ${definition.name} has no output '${name}'`);
      if (value !== undefined) produced[name] = value;
    }
  };
  let ok = true;
  try {
    const inputs = parseInputs(definition.inputs, (n) => runtime.getInput(n), (v) => runtime.setSecret(v));
    const result = await definition.run({ inputs, runtime, context, publish });
    if (result) publish(result);
  } catch (thrown) {
    ok = false;
    const { message, isBug, stack } = describeThrown(thrown);
    if (isBug && stack) runtime.error(neutraliseLines(stack));
    runtime.setFailed(neutraliseLines(message));
    process.exitCode = 1;
  } finally {
    for (const name of definition.outputs) runtime.setOutput(name, outputText(produced[name] ?? ''));
  }
  return ok;
}
