import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { versionAction } from './action.js';

await runAction(versionAction, githubRuntime(), githubContext());
