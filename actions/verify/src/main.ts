import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { verifyAction } from './action.js';

await runAction(verifyAction, githubRuntime(), githubContext());
