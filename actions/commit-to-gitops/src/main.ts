import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { commitToGitopsAction } from './action.js';

await runAction(commitToGitopsAction, githubRuntime(), githubContext());
