import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PIPELINE_STEPS, type ArgocdSettings, type PipelineStep } from '../config/environment-settings.js';
import { InputError } from '../errors/errors.js';
import { redact } from '../exec/redact.js';
import { neutraliseLine } from '../log/neutralise.js';
import type { DeployStatus } from '../notify/deploy-status.js';
import type { RunContext, Runtime } from '../runtime/runtime.js';
import type { StepRun, StepRunner } from './action-step.js';
import { planPipeline, type PipelineRequest } from './pipeline-plan.js';
import { noticeDetail, pipelineSummary, stepDetail, type StepReport } from './pipeline-summary.js';
import {
  buildInputs,
  commitInputs,
  deployedVersion,
  notifyInputs,
  renderImage,
  renderInputs,
  versionInputs,
  waitInputs,
  waitSkipReason,
  type FailedStep,
  type PostedNotice,
  type Produced,
} from './step-inputs.js';

/** How each step runs: the separate actions' own definitions, supplied by the root action's entry. */
export interface PipelineStepRunners {
  version: StepRunner;
  build: StepRunner;
  render: StepRunner;
  /** The commit step, told which Argo CD Application to create alongside an app's first deploy. */
  commit(argocd: ArgocdSettings | undefined): StepRunner;
  wait: StepRunner;
  notify: StepRunner;
}

/** The root action's outputs; every one is always set. */
export interface PipelineOutputs {
  version: string;
  digest: string;
  'image-ref': string;
  'commit-sha': string;
  'commit-url': string;
  changed: string;
  'pull-request-url': string;
  synced: string;
  healthy: string;
  environment: string;
  'failed-step': string;
}

export interface PipelineIo {
  runtime: Runtime;
  context: RunContext;
  /** Outputs as soon as they are known, so a failure still leaves them. */
  publish(outputs: Partial<PipelineOutputs>): void;
}

/**
 * The whole pipeline in one process: version → build → render → commit →
 * wait → notify, each step the separate action's own code, fed its inputs from
 * gitops.yaml, the credentials and the earlier steps' outputs. Everything is
 * checked before the first step; the first failure stops the deploy, and the
 * deploy message (posted when it starts with a bot token, updated with the
 * result) and the job summary name the step that failed. Throws when a step
 * failed, after reporting.
 */
export async function runPipeline(request: PipelineRequest, runners: PipelineStepRunners, io: PipelineIo): Promise<void> {
  const { runtime, context } = io;
  const plan = planPipeline(request, context);
  const app = plan.config.app;
  runtime.info(
    `gitops-actions pipeline: ${app}${plan.environment ? ` → ${plan.environment}` : ''}; steps ${plan.steps.join(', ')}` +
      `${request.dryRun ? ' (dry run: nothing is committed, pushed or sent)' : ''}`,
  );
  for (const note of plan.notes) {
    // Deploying without telling anyone deserves a warning; in a dry run nothing is sent anyway.
    if (plan.slack === 'print' && !request.dryRun && note === plan.slackNote) runtime.warning(note);
    else runtime.info(note);
  }
  io.publish({ environment: plan.environment });

  const produced: Produced = {};
  const reports = new Map<PipelineStep, StepReport>(
    PIPELINE_STEPS.map((step) => [step, { step, state: plan.steps.includes(step) ? 'not-run' : 'not-selected', seconds: 0, detail: plan.steps.includes(step) ? 'not run' : 'not in steps' }]),
  );
  const summaries: string[] = [];
  let failed: FailedStep | undefined;
  const rendered = plan.steps.includes('render') ? mkdtempSync(join(context.runnerTemp || tmpdir(), 'gitops-pipeline-')) : undefined;

  const position = (step: PipelineStep) => `${plan.steps.indexOf(step) + 1}/${plan.steps.length}`;
  /** Runs one step; a failure is recorded (the first one is the deploy's), and the caller stops. */
  const run = async (step: PipelineStep, runner: StepRunner, inputs: Record<string, string>, keepSummary = true): Promise<StepRun> => {
    const result = await runner(inputs, runtime, context);
    const report = reports.get(step)!;
    report.seconds += result.seconds;
    if (keepSummary) summaries.push(...result.summaries);
    if (!result.ok) {
      const reason = redact(result.failure, runtime.secrets) || 'failed without a message';
      report.state = 'failed';
      report.detail = reason.split('\n')[0]!;
      failed ??= { step, reason };
      runtime.info(neutraliseLine(`✗ ${step} failed: ${report.detail}`));
    }
    return result;
  };

  let posted: PostedNotice | undefined;
  /**
   * The started message, only through the Web API, which can update it later. It goes out once
   * the version is known (the first step takes a moment), so it can say what is being deployed.
   */
  const announce = async () => {
    if (plan.slack !== 'web-api' || request.dryRun || failed) return;
    runtime.info(`── notify: deploy started (${position('notify')}) ──`);
    const started = await run('notify', runners.notify, notifyInputs(plan, request, produced, 'started'), false);
    if (started.ok && started.outputs.ts) posted = { ts: started.outputs.ts, channel: started.outputs.channel ?? '' };
  };
  /** The started message, updated once the commit has landed: the wait for Argo CD can take minutes. */
  const announceCommitted = async () => {
    if (!posted) return;
    runtime.info(`── notify: committed, waiting for Argo CD (${position('notify')}) ──`);
    await run('notify', runners.notify, notifyInputs(plan, request, produced, 'started', { posted, waiting: true }), false);
  };
  try {
    if (!plan.steps.includes('version')) await announce();
    // ---- the deploy itself, stopping at the first failure
    const deploySteps: Array<[PipelineStep, () => [StepRunner, Record<string, string>]]> = [
      ['version', () => [runners.version, versionInputs(plan, request)]],
      ['build', () => [runners.build, buildInputs(plan, request, produced)]],
      ['render', () => [runners.render, renderInputs(plan, request, produced, rendered!)]],
      ['commit', () => [runners.commit(plan.argocd), commitInputs(plan, request, produced)]],
      ['wait', () => [runners.wait, waitInputs(plan, request, produced)]],
    ];
    for (const [step, prepare] of deploySteps) {
      if (failed) break;
      if (!plan.steps.includes(step)) continue;
      runtime.info(`── ${step} (${position(step)}) ──`);
      const skip = step === 'wait' ? waitSkipReason(request, produced) : undefined;
      if (skip) {
        runtime.info(`skipped: ${skip}`);
        Object.assign(reports.get(step)!, { state: 'skipped', detail: `skipped: ${skip}` });
        continue;
      }
      if (step === 'wait') await announceCommitted();
      if (step === 'render' && plan.config.image !== undefined) {
        const image = renderImage(request, produced);
        runtime.info(`image: ${image.digest ? `${plan.config.image}@${image.digest}` : `${plan.config.image}:${image.tag}`} (${image.reason})`);
      }
      const [runner, inputs] = prepare();
      const result = await run(step, runner, inputs);
      // Argo CD's last state is the story of a failed wait too.
      if (step === 'wait') {
        produced.wait = result.outputs;
        io.publish({ synced: result.outputs.synced ?? '', healthy: result.outputs.healthy ?? '' });
      }
      if (result.ok) {
        produced[step] = result.outputs;
        reports.get(step)!.state = 'succeeded';
        reports.get(step)!.detail = stepDetail(step, result.outputs, request.dryRun, produced.build !== undefined);
        publishProduced(io, request, produced);
      }
      if (step === 'version') await announce();
    }

    // ---- the result, always: updates the started message, or posts the one message
    if (plan.steps.includes('notify')) {
      const status: DeployStatus = failed ? 'failure' : 'success';
      runtime.info(`── notify: deploy ${failed ? 'failed' : 'succeeded'} (${position('notify')}) ──`);
      const options = { ...(posted ? { posted } : {}), ...(failed ? { failed } : {}) };
      const result = await run('notify', runners.notify, notifyInputs(plan, request, produced, status, options));
      // A started message that failed stays the row's story, even when the result got through.
      if (result.ok && reports.get('notify')!.state !== 'failed') {
        reports.get('notify')!.state = 'succeeded';
        reports.get('notify')!.detail = noticeDetail(plan.slack!, result.outputs, request.dryRun, posted !== undefined);
      }
    }
  } finally {
    if (rendered) rmSync(rendered, { recursive: true, force: true });
  }

  // Steps after the failure did not run; their rows say so.
  const argocd = plan.argocd && produced.commit ? { file: plan.argocd.file, created: addedFiles(produced.commit).includes(plan.argocd.file) } : undefined;
  const summary = pipelineSummary({
    app,
    environment: plan.environment,
    version: deployedVersion(request, produced),
    dryRun: request.dryRun,
    reports: [...reports.values()],
    failed,
    ...(argocd ? { argocd } : {}),
    notes: plan.notes,
  });
  await runtime.summary([summary, ...summaries].join('\n'));
  io.publish({ 'failed-step': failed?.step ?? '' });
  if (failed) throw new InputError(`the ${failed.step} step failed: ${failed.reason}`);
}

function publishProduced(io: PipelineIo, request: PipelineRequest, produced: Produced): void {
  const build = produced.build;
  const commit = produced.commit;
  io.publish({
    version: deployedVersion(request, produced),
    digest: build?.digest || request.imageDigest,
    'image-ref': build?.['image-ref'] || produced.render?.image || '',
    ...(commit
      ? { 'commit-sha': commit['commit-sha'] ?? '', 'commit-url': commit['commit-url'] ?? '', changed: commit.changed ?? '', 'pull-request-url': commit['pull-request-url'] ?? '' }
      : {}),
  });
}

function addedFiles(commit: Record<string, string>): string[] {
  try {
    const diff = JSON.parse(commit.diff || '{}') as { added?: unknown };
    return Array.isArray(diff.added) ? diff.added.filter((f): f is string => typeof f === 'string') : [];
  } catch {
    return [];
  }
}
