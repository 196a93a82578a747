import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { renderAction } from './action.js';

await runAction(renderAction, githubRuntime(), githubContext());
