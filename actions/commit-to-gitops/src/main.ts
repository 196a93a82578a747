import { startCloneHeadStart } from '#core/gitops/clone-head-start.js';
import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';

// The clone starts first; the action's code loads while it runs (clone-head-start.ts).
const runtime = githubRuntime();
const cloneHeadStart = startCloneHeadStart((name) => runtime.getInput(name));
try {
  const { commitToGitopsAction, landDesiredState } = await import('./action.js');
  await runAction({ ...commitToGitopsAction, run: (invocation) => landDesiredState(invocation, [], cloneHeadStart) }, runtime, githubContext());
} finally {
  await cloneHeadStart?.discard();
}
