import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderApp, type RenderResult } from '#core/render/render-app.js';
import { renderSummary } from '#core/render/render-summary.js';
import { treeDigest } from '#core/render/rendered-tree.js';
import { input } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';

export const renderAction = defineAction({
  name: 'render',
  inputs: {
    config: input.config('render'),
    app: input.string({ required: 'or-config' }),
    environment: input.list({ required: true }),
    values: input.list(),
    chart: input.string({ fallback: 'builtin:monochart' }),
    engine: input.oneOf(['auto', 'builtin', 'helm', 'kustomize'], { fallback: 'auto' }),
    version: input.string(),
    image: input.string(),
    'image-tag': input.string(),
    'image-digest': input.string(),
    namespace: input.string(),
    set: input.list(),
    output: input.string(),
    'helm-version': input.string({ fallback: '3.19.0' }),
    'kube-version': input.string({ fallback: '1.32' }),
    validate: input.boolean({ fallback: 'true' }),
    timeout: input.integer({ fallback: '90', min: 1, max: 3600 }),
  },
  outputs: ['path', 'files', 'resources', 'digest', 'image'],
  async run({ inputs, runtime, context, publish }) {
    const tempDir = context.runnerTemp || tmpdir();
    const output = inputs.output || join(tempDir, 'rendered');
    const environments = [...new Set(inputs.environment)];
    const results: RenderResult[] = await runtime.group(`Render ${inputs.app} for ${environments.join(', ')}`, () =>
      Promise.all(
        environments.map((environment) =>
          renderApp(
            {
              app: inputs.app,
              environment,
              values: inputs.values.map((v) => v.replaceAll('${environment}', environment)),
              chart: inputs.chart,
              engine: inputs.engine,
              version: inputs.version,
              image: inputs.image,
              imageTag: inputs['image-tag'],
              imageDigest: inputs['image-digest'],
              namespace: inputs.namespace,
              set: inputs.set,
              output,
              kubeVersion: inputs['kube-version'],
              helmVersion: inputs['helm-version'],
              toolCache: context.toolCache || join(tempDir, 'tool-cache'),
              validate: inputs.validate,
              timeoutSeconds: inputs.timeout,
              workspace: context.workspace,
              tempDir,
              sourceRepository: context.repository ? `${context.serverUrl}/${context.repository}` : '',
              sourceCommit: context.sha,
            },
            (line) => runtime.info(line),
          ),
        ),
      ),
    );
    publish({
      path: results.map((r) => r.path),
      files: results.flatMap((r) => r.files),
      resources: JSON.stringify(results.flatMap((r, i) => r.resources.map((res) => ({ environment: environments[i]!, ...res })))),
      digest: results.length === 1 ? results[0]!.digest : treeDigest(results.map((r) => ({ path: r.path, content: r.digest }))),
      image: results[0]?.image ?? '',
    });
    await runtime.summary(renderSummary(inputs.app, environments, results));
  },
});
