import type { InputSpecs } from '../runtime/inputs.js';
import { runAction, type ActionDefinition } from '../runtime/run-action.js';
import type { RunContext, Runtime } from '../runtime/runtime.js';

/** How one step of the pipeline went. */
export interface StepRun {
  ok: boolean;
  /** Every declared output of the step, as text (empty when it did not produce one). */
  outputs: Record<string, string>;
  /** The step's error message, as the separate action would have reported it; '' when ok. */
  failure: string;
  /** What the step wrote to the job summary, kept for the pipeline's own summary. */
  summaries: string[];
  seconds: number;
}

/** One step, given the raw inputs of the action that runs it (action.yml names, workflow text). */
export type StepRunner = (inputs: Record<string, string>, runtime: Runtime, context: RunContext) => Promise<StepRun>;

/**
 * Runs an action's definition in this process as a pipeline step, through
 * the very wrapper its own entry calls (runAction): the same input parsing
 * and defaults, the same outputs, the same error messages. Logs and secrets
 * go to the pipeline's runtime; outputs, the summary and the failure are
 * kept for the pipeline to combine.
 */
export function actionStep<S extends InputSpecs, O extends string>(definition: ActionDefinition<S, O>): StepRunner {
  return async (inputs, parent, context) => {
    const outputs: Record<string, string> = {};
    const summaries: string[] = [];
    let failure = '';
    const runtime: Runtime = {
      getInput: (name) => inputs[name] ?? '',
      setOutput: (name, value) => {
        outputs[name] = value;
      },
      // Values the pipeline already masked are not announced twice.
      setSecret: (value) => {
        if (value && !parent.secrets.includes(value)) parent.setSecret(value);
      },
      get secrets() {
        return parent.secrets;
      },
      info: (m) => parent.info(m),
      warning: (m) => parent.warning(m),
      error: (m) => parent.error(m),
      debug: (m) => parent.debug(m),
      group: (name, fn) => parent.group(name, fn),
      summary: async (markdown) => {
        summaries.push(markdown);
      },
      // The pipeline reports the failure once, naming the step; here it is only recorded.
      setFailed: (message) => {
        failure = message;
      },
    };
    const started = performance.now();
    // runAction marks the process failed for a failed action; a step's failure is its caller's to judge.
    const exitCode = process.exitCode;
    const ok = await runAction(definition, runtime, context);
    process.exitCode = exitCode;
    return { ok, outputs, failure: ok ? '' : failure, summaries, seconds: (performance.now() - started) / 1000 };
  };
}
