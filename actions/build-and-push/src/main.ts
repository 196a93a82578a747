import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { buildAndPushAction } from './action.js';

await runAction(buildAndPushAction, githubRuntime(), githubContext());
