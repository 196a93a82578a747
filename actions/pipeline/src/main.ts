import { githubContext, githubRuntime } from '#core/runtime/github-runtime.js';
import { runAction } from '#core/runtime/run-action.js';
import { pipelineAction } from './action.js';

await runAction(pipelineAction, githubRuntime(), githubContext());
