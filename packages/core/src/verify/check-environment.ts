import { join } from 'node:path';
import { describeThrown, InputError } from '../errors/errors.js';
import { redact } from '../exec/redact.js';
import { neutraliseLine } from '../log/neutralise.js';
import { GitopsClone } from '../gitops/gitops-clone.js';
import type { RemoteAccess } from '../gitops/remote-access.js';
import type { GitopsRemote } from '../gitops/repository-url.js';
import type { StepRunner } from '../pipeline/action-step.js';
import type { RunContext, Runtime } from '../runtime/runtime.js';
import { readDeployedState } from './deployed-state.js';
import { compareWithRender, type FileDrift } from './file-drift.js';
import { gitopsReadError } from './gitops-read-error.js';
import { findHandEdits, type HandEdits } from './hand-edits.js';
import { provenanceContext, reRenderInputs } from './render-inputs.js';
import { unownedDirectories } from './unowned-directories.js';

/** One app in one environment, and where its desired state lives. */
export interface EnvironmentTarget {
  /** The gitops.yaml, as the `config` input names it. */
  config: string;
  app: string;
  environment: string;
  remote: GitopsRemote;
  /** The branch Argo CD syncs (in pull-request mode the pull requests' base). */
  branch: string;
  /** The app's directory there, e.g. `verity-api--staging`. */
  path: string;
  /** gitops.yaml's `image`; '' without one. */
  image: string;
  /**
   * Every directory this gitops.yaml writes in the same repository and
   * branch, to find the app's directories nobody owns; undefined when
   * another environment sharing the repository does that check.
   */
  owned: ReadonlySet<string> | undefined;
}

/**
 * `in-sync`: the render and the repository are identical. `drifted`: files
 * differ, or the app has a directory no environment owns. `not-deployed`:
 * nothing to compare with (no branch, no directory yet). `error`: the check
 * itself failed (unreadable repository, a render that fails).
 */
export type CheckStatus = 'in-sync' | 'drifted' | 'not-deployed' | 'error';

export interface EnvironmentCheck extends FileDrift {
  target: EnvironmentTarget;
  status: CheckStatus;
  /** The GitOps commit compared with; '' when none was read. */
  commit: string;
  /** What the deploy recorded and the render used. */
  version: string;
  image: string;
  sourceCommit: string;
  unowned: string[];
  /** Commits after the last deploy that changed the directory; undefined when there are none. */
  handEdits: HandEdits | undefined;
  notes: string[];
  /** Why the status is `error` or `not-deployed`. */
  reason: string;
}

export interface CheckDependencies {
  access: RemoteAccess;
  tokenGiven: boolean;
  /** The render action's own code (actionStep(renderAction)). */
  render: StepRunner;
  runtime: Runtime;
  context: RunContext;
  /** A private directory for this check's clone and render; removed by the caller. */
  workDir: string;
  onGitCommand?: (args: readonly string[]) => void;
}

function imageText(target: EnvironmentTarget, image: ReturnType<typeof readDeployedState>['image']): string {
  if (!target.image || !image) return '';
  return 'digest' in image ? `${target.image}@${image.digest}` : image.tag ? `${target.image}:${image.tag}` : target.image;
}

/**
 * Checks one environment: a sparse, shallow clone of its branch (only the
 * app's directory's files are fetched), the provenance and image the
 * deployed manifests record, a render of the source with exactly those, and
 * the comparison file by file. Never throws: failures are the result's
 * `error` status, so the other environments are still checked.
 */
export async function checkEnvironment(target: EnvironmentTarget, deps: CheckDependencies): Promise<EnvironmentCheck> {
  const { runtime } = deps;
  const where = `${target.remote.url} ${target.branch}:${target.path}`;
  const result: EnvironmentCheck = {
    target,
    status: 'in-sync',
    commit: '',
    version: '',
    image: '',
    sourceCommit: '',
    added: [],
    changed: [],
    removed: [],
    diffs: [],
    unowned: [],
    handEdits: undefined,
    notes: [],
    reason: '',
  };
  try {
    const reading = { url: target.remote.url, branch: target.branch, tokenGiven: deps.tokenGiven, config: target.config };
    let clone: GitopsClone;
    let found: boolean;
    try {
      ({ clone, found } = await GitopsClone.clone(join(deps.workDir, 'clone'), target.remote, target.path, target.branch, deps.access, deps.onGitCommand));
    } catch (e) {
      throw gitopsReadError(e, reading, runtime.secrets);
    }
    if (!found) {
      runtime.info(`${where}: the repository has no branch '${target.branch}'`);
      return { ...result, status: 'not-deployed', reason: `${target.remote.url} has no branch '${target.branch}'` };
    }
    try {
      const head = await clone.head(target.branch);
      result.commit = head.commit;
      if (target.owned) {
        const segments = target.path.split('/');
        result.unowned = unownedDirectories({ app: target.app, listing: head.listings[segments.length - 1], parent: segments.slice(0, -1).join('/'), owned: target.owned });
        for (const path of result.unowned) runtime.info(`${target.remote.url} ${target.branch}:${path}: a directory of ${target.app} that no environment of ${target.config} owns`);
      }
      if (head.kind === 'absent') {
        runtime.info(`${where}: not there at ${head.commit.slice(0, 12)}: never deployed (or not merged yet)`);
        return { ...result, status: result.unowned.length ? 'drifted' : 'not-deployed', reason: `${target.branch} has no directory ${target.path}` };
      }
      if (head.kind !== 'directory') throw new InputError(`${where} is not a directory (${head.kind}) at ${head.commit.slice(0, 12)}: render always writes one`);

      await clone.checkout(head.commit);
      const state = readDeployedState(join(clone.dir, target.path), target.image, where);
      Object.assign(result, { version: state.version, sourceCommit: state.sourceCommit, image: imageText(target, state.image), notes: state.notes });
      runtime.info(
        `${where} at ${head.commit.slice(0, 12)}: version ${state.version || '(none)'}, image ${result.image || '(none)'}, ` +
          `source ${state.sourceRepository || '(unknown)'}${state.sourceCommit ? `@${state.sourceCommit.slice(0, 12)}` : ''}`,
      );
      for (const note of state.notes) runtime.info(`${where}: ${note}`);

      const output = join(deps.workDir, 'rendered');
      const inputs = reRenderInputs({ config: target.config, environment: target.environment, output, image: target.image }, state);
      const rendered = await deps.render(inputs, runtime, provenanceContext(deps.context, state));
      if (!rendered.ok) throw new InputError(`render of ${target.app} ${target.environment} failed: ${redact(rendered.failure, runtime.secrets)}`);

      const drift = await compareWithRender(clone, head, rendered.outputs.path ?? join(output, `${target.app}--${target.environment}`));
      Object.assign(result, drift);
      const files = drift.diffs.length;
      runtime.info(files ? `${where}: ${files} file${files === 1 ? '' : 's'} differ from the render` : `${where}: identical to the render`);
      result.handEdits = await findHandEdits(clone, target.branch, head);
      if (result.handEdits) {
        const { deploy, commits } = result.handEdits;
        runtime.info(
          neutraliseLine(
            `${where}: changed by hand since the deploy of ${deploy.version || deploy.commit.slice(0, 12)}: ` +
              commits.map((c) => `${c.commit.slice(0, 12)} by ${c.author} (${c.subject})`).join(', '),
          ),
        );
      }
      result.status = files > 0 || result.unowned.length > 0 || result.handEdits ? 'drifted' : 'in-sync';
      return result;
    } catch (e) {
      throw e instanceof InputError ? e : gitopsReadError(e, reading, runtime.secrets);
    } finally {
      await clone.settle();
    }
  } catch (e) {
    const reason = redact(describeThrown(e).message, runtime.secrets);
    runtime.info(`${where}: ${reason}`);
    return { ...result, status: 'error', reason };
  }
}
