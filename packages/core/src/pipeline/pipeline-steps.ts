import { DEFAULT_STEPS, PIPELINE_STEPS, type PipelineStep } from '../config/environment-settings.js';
import { InputError } from '../errors/errors.js';
import { closest } from '../schema/did-you-mean.js';

/** The root action's `steps` default: the whole pipeline but the opt-in wait for Argo CD. */
export const DEFAULT_STEPS_TEXT = DEFAULT_STEPS.join(', ');

/**
 * The `steps` input: step names separated by commas or line breaks, in any
 * order and case. They always run in the pipeline's order (version, build,
 * render, commit, wait, notify), whatever order they are written in; naming one
 * twice is harmless. An unknown name is an error that lists the valid ones,
 * raised while the inputs are read, before anything runs.
 */
export function parseSteps(raw: string, name = 'steps'): PipelineStep[] {
  const given = raw
    .split(/[,\r\n]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '' && !s.startsWith('#'));
  const known = PIPELINE_STEPS as readonly string[];
  const unknown = given.filter((s) => !known.includes(s.toLowerCase()));
  if (unknown.length > 0) {
    const shown = unknown.map((s) => {
      const guess = closest(s, PIPELINE_STEPS);
      return `'${s.length > 40 ? `${s.slice(0, 37)}...` : s}'${guess ? ` (did you mean '${guess}'?)` : ''}`;
    });
    throw new InputError(
      `input '${name}': unknown step${unknown.length > 1 ? 's' : ''} ${shown.join(', ')}; the steps are ${PIPELINE_STEPS.join(', ')}`,
    );
  }
  if (given.length === 0) throw new InputError(`input '${name}' names no step; the steps are ${PIPELINE_STEPS.join(', ')}`);
  const wanted = new Set(given.map((s) => s.toLowerCase()));
  return PIPELINE_STEPS.filter((step) => wanted.has(step));
}
