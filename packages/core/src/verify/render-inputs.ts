import type { RunContext } from '../runtime/runtime.js';
import type { DeployedState } from './deployed-state.js';

/**
 * The render action's inputs to render an environment again as its deploy
 * did: gitops.yaml's settings (through the action's own `config` input, so
 * defaults and paths are read exactly as in the pipeline), and the version
 * and image the deployed directory holds, given the way the pipeline gives
 * them (`image-tag` is the version, `image-digest` the pinned digest).
 */
export function reRenderInputs(options: { config: string; environment: string; output: string; image: string }, state: DeployedState): Record<string, string> {
  const hasImage = options.image !== '';
  const { image, version } = state;
  const imageInputs: Record<string, string> = !hasImage || !image
    ? version && hasImage ? { 'image-tag': version } : {}
    : 'digest' in image
      ? { 'image-digest': image.digest, ...(version ? { 'image-tag': version } : {}) }
      : image.tag
        ? { 'image-tag': image.tag }
        : {};
  return {
    config: options.config,
    environment: options.environment,
    output: options.output,
    ...(version ? { version } : {}),
    ...(hasImage ? { image: options.image } : {}),
    ...imageInputs,
  };
}

/**
 * The run context render takes its provenance from, set to what the deploy
 * recorded. Render writes `${serverUrl}/${repository}` and `sha`; the
 * recorded repository URL is split back at its `/<owner>/<name>` end.
 */
export function provenanceContext(context: RunContext, state: Pick<DeployedState, 'sourceRepository' | 'sourceCommit'>): RunContext {
  const url = state.sourceRepository;
  let serverUrl = '';
  let repository = '';
  if (url) {
    const parts = url.split('/');
    // https://host/owner/name → https://host + owner/name; anything shorter splits at its last '/'.
    const at = parts.length >= 5 ? parts.length - 2 : Math.max(1, parts.length - 1);
    serverUrl = parts.slice(0, at).join('/');
    repository = parts.slice(at).join('/');
    if (!repository) [serverUrl, repository] = ['', url];
  }
  return { ...context, serverUrl, repository, sha: state.sourceCommit };
}
