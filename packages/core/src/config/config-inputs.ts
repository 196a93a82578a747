import { InputError } from '../errors/errors.js';
import { appSettings, settingsFor, type PipelineStep, type SettingsOptions } from './environment-settings.js';
import type { GitopsConfig } from './load-gitops-config.js';

/** The action that runs each step, by the folder name under actions/. */
export const STEP_ACTIONS = {
  version: 'version',
  build: 'build-and-push',
  render: 'render',
  commit: 'commit-to-gitops',
  wait: 'wait-for-sync',
  notify: 'notify',
} as const satisfies Record<PipelineStep, string>;

/** The steps whose settings depend on the environment: their actions need one to read gitops.yaml. */
export const ENVIRONMENT_STEPS: readonly PipelineStep[] = ['render', 'commit', 'wait', 'notify'];

export interface ConfigInputsOptions extends Omit<SettingsOptions, 'steps'> {
  /**
   * The inputs the action was given explicitly, by name. They win over the
   * file anyway; what matters here is that a setting the step cannot run
   * without (build's `image`, commit's `repository`) is not demanded of the
   * file when the workflow gives it.
   */
  given?: Readonly<Record<string, string>>;
}

/**
 * The inputs gitops.yaml gives the action of `step`, by their action.yml
 * names, as the text a workflow would pass: lists one item per line, maps as
 * `KEY=VALUE` lines, booleans `true`/`false`. Only what the file sets is
 * there; the action's own defaults fill the rest. One mapping for the root
 * action, the CLI and each action's `config` input.
 *
 * The rule for combining them: an input given explicitly wins over the file,
 * and the file wins over the action's built-in defaults (runtime/inputs.ts).
 *
 * `environment` is needed by render, commit, wait and notify; version and build
 * are the app's. Problems (an unknown environment, a commit without a GitOps
 * repository, a missing values file when `workspace` is given) throw.
 */
export function configInputs(
  config: GitopsConfig,
  step: PipelineStep,
  environment?: string,
  options: ConfigInputsOptions = {},
): Record<string, string> {
  const { given = {}, ...rest } = options;
  const settingsOptions: SettingsOptions = { ...rest, steps: [step] };
  const file = withGiven(config, step, given);
  if (!ENVIRONMENT_STEPS.includes(step)) {
    const app = appSettings(file, settingsOptions);
    return asInputs(step === 'version' ? app.version : app.build!);
  }
  if (!environment) throw new InputError(`the ${step} step needs an environment (${file.source.file} has ${Object.keys(file.environments).join(', ')})`);
  const settings = settingsFor(file, environment, settingsOptions);
  if (step === 'render') return asInputs(settings.render);
  if (step === 'commit') return asInputs(settings.commit!);
  if (step === 'wait') return asInputs(settings.wait);
  return asInputs(settings.notify);
}

/** The explicit value stands in for a setting the step needs and the file may lack; it wins over the file's either way. */
function withGiven(config: GitopsConfig, step: PipelineStep, given: Readonly<Record<string, string>>): GitopsConfig {
  const image = given.image?.trim();
  if (step === 'build' && image && config.image === undefined) return { ...config, image };
  const repository = given.repository?.trim();
  if (step === 'commit' && repository) return { ...config, gitops: { ...config.gitops, repository } };
  return config;
}

function asInputs(settings: object): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const [name, value] of Object.entries(settings) as [string, unknown][]) {
    const text = inputText(value);
    if (text !== undefined) inputs[name] = text;
  }
  return inputs;
}

function inputText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.length > 0 ? value.map(String).join('\n') : undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  return entries.length > 0 ? entries.map(([key, v]) => `${key}=${String(v)}`).join('\n') : undefined;
}
