import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { notifyAction } from './action.js';

await runAction(notifyAction, githubRuntime(), githubContext());
