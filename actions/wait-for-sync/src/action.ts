import { resolveApplicationName } from '#core/argocd/application-name.js';
import { parseArgoCdUrl } from '#core/argocd/argocd-url.js';
import { parseDuration } from '#core/argocd/duration.js';
import { parseRevision } from '#core/argocd/git-revision.js';
import { waitForSync } from '#core/argocd/wait-for-sync.js';
import { InputError } from '#core/errors/errors.js';
import { input, type InputSpec } from '#core/runtime/inputs.js';
import { defineAction } from '#core/runtime/run-action.js';

/** A duration gitops.yaml can set: its built-in value is a fallback, applied after the file. */
function duration(fallback: string, bounds: { minMs: number; maxMs: number }): InputSpec<number> {
  return { fallback, parse: (raw, name) => parseDuration(raw, name, bounds) };
}

export const waitForSyncAction = defineAction({
  name: 'wait-for-sync',
  inputs: {
    config: input.config('wait'),
    'argocd-url': input.string({ required: 'or-config' }),
    'argocd-token': input.string({ required: true, secret: true }),
    application: input.string(),
    app: input.string(),
    environment: input.string(),
    project: {
      parse: (raw: string, name: string) => {
        if (raw && !/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(raw)) throw new InputError(`input '${name}' must be an Argo CD project name (got '${raw.slice(0, 80)}')`);
        return raw;
      },
    },
    revision: { required: true, parse: (raw: string, name: string) => parseRevision(raw, name) },
    timeout: duration('10m', { minMs: 1000, maxMs: 6 * 3_600_000 }),
    'require-healthy': input.boolean({ fallback: 'true' }),
    refresh: input.boolean({ default: 'true' }),
    'poll-interval': duration('5s', { minMs: 1000, maxMs: 300_000 }),
    insecure: input.boolean({ fallback: 'false' }),
  },
  outputs: ['synced', 'healthy', 'sync-status', 'health-status', 'revision', 'duration-seconds', 'message'],
  async run({ inputs, runtime, context, publish }) {
    const server = parseArgoCdUrl(inputs['argocd-url'], inputs.insecure);
    const application = resolveApplicationName({
      application: inputs.application,
      app: inputs.app,
      environment: inputs.environment,
      repository: context.repository,
    });
    if (server.insecure && server.base.protocol === 'https:') {
      runtime.warning(`insecure is true: the TLS certificate of ${server.base.host} is not verified. Use this for test clusters only.`);
    }
    return waitForSync(
      {
        server,
        token: inputs['argocd-token'],
        application,
        revision: inputs.revision,
        timeoutMs: inputs.timeout,
        requireHealthy: inputs['require-healthy'],
        refresh: inputs.refresh,
        pollIntervalMs: inputs['poll-interval'],
        ...(inputs.project ? { project: inputs.project } : {}),
      },
      runtime,
      publish,
    );
  },
});
