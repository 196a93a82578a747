// The one door to @actions/workflow-parser: its JSON imports need the hook loaded first.
import './json-import-hook.js';

export { convertWorkflowTemplate, isBasicExpression, isBoolean, isLiteral, isMapping, isNumber, isSequence, isString, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
export { convertActionTemplate, parseAction } from '@actions/workflow-parser/actions/index';
export { isActionStep, isJob, isRunStep } from '@actions/workflow-parser/model/type-guards';
export { TokenType } from '@actions/workflow-parser/templates/tokens/types';
