import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { waitForSyncAction } from './action.js';

await runAction(waitForSyncAction, githubRuntime(), githubContext());
