import { describeThrown, InputError } from '../errors/errors.js';
import { neutraliseLines } from '../log/neutralise.js';
import { parseInputs, type ConfiguredInputs, type InputSpecs, type ParsedInputs } from './inputs.js';
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

/** Where an action's inputs come from. */
export interface InputSources {
  /** Raw input text; '' when unset. */
  read(name: string): string;
  /** What a `config` path is relative to: the workspace (GITHUB_WORKSPACE, or where the CLI runs). */
  workspace: string;
  registerSecret?(value: string): void;
  /** Where the decision about gitops.yaml is logged. */
  log?(line: string): void;
}

/** The input that picks the environment whose settings gitops.yaml gives. */
const ENVIRONMENT_INPUT = 'environment';

/**
 * The typed inputs of an action, the same way for every action and the CLI:
 * an explicit value wins; when the action's `config` input names a
 * gitops.yaml, the file's settings for the step (and the `environment`
 * input's environment) come next; the built-in defaults last.
 *
 * The config code (YAML loader, schema checks) is imported only when a file
 * is named, so an action run without one does not pay for it at start-up.
 */
export async function readInputs<S extends InputSpecs>(specs: S, sources: InputSources): Promise<ParsedInputs<S>> {
  const { read, registerSecret } = sources;
  const configured = await configuredInputs(specs, sources);
  return parseInputs(specs, read, registerSecret, configured);
}

async function configuredInputs(specs: InputSpecs, { read, workspace, log }: InputSources): Promise<ConfiguredInputs | undefined> {
  const entry = Object.entries(specs).find(([, spec]) => spec.configFor !== undefined);
  if (!entry) return undefined;
  const [configInput, { configFor: step }] = entry;
  const path = read(configInput).trim();
  if (!path || !step) return undefined;

  const [{ loadGitopsConfig }, { configInputs, ENVIRONMENT_STEPS }] = await Promise.all([
    import('../config/load-gitops-config.js'),
    import('../config/config-inputs.js'),
  ]);
  const config = loadGitopsConfig(path, { workspace });
  const { file } = config.source;

  let environment: string | undefined;
  if (ENVIRONMENT_STEPS.includes(step)) {
    const named = read(ENVIRONMENT_INPUT)
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    const known = Object.keys(config.environments).join(', ');
    if (named.length === 0) {
      throw new InputError(`input '${ENVIRONMENT_INPUT}' is required with '${configInput}': which environment of ${file} (${known})?`);
    }
    if (named.length > 1) {
      throw new InputError(
        `input '${ENVIRONMENT_INPUT}': with '${configInput}', give one environment per step (got ${named.join(', ')}); each has its own settings in ${file}`,
      );
    }
    environment = named[0];
  }

  const given: Record<string, string> = {};
  for (const name of Object.keys(specs)) {
    const value = read(name).trim();
    if (value && name !== configInput && !specs[name]!.secret) given[name] = value;
  }
  const inputs = configInputs(config, step, environment, { workspace, given });

  // Which settings the file gave, and which the workflow's own inputs overrode, in the action's order.
  const names = Object.keys(specs).filter((name) => name !== ENVIRONMENT_INPUT && name in inputs);
  const used = names.filter((name) => !(name in given));
  const overridden = names.filter((name) => name in given);
  log?.(
    `${file}${environment ? ` for ${environment}` : ''}: ${used.length > 0 ? used.join(', ') : 'nothing to add'}` +
      (overridden.length > 0 ? ` (given as inputs, so not from the file: ${overridden.join(', ')})` : ''),
  );
  return { file, inputs };
}

/**
 * The one wrapper every action entry calls: read inputs (readInputs), run, write every
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
    const inputs = await readInputs(definition.inputs, {
      read: (n) => runtime.getInput(n),
      workspace: context.workspace,
      registerSecret: (v) => runtime.setSecret(v),
      log: (line) => runtime.info(neutraliseLines(line)),
    });
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
