import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { promoteAction } from './action.js';

await runAction(promoteAction, githubRuntime(), githubContext());
