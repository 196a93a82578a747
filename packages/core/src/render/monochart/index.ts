/**
 * The builtin monochart: per-environment values in, Kubernetes objects out.
 * Values are described once (values-description.ts); the validator, the
 * defaults, the types, the JSON Schema and the reference all come from it.
 */
export { MONOCHART_DEFAULTS, renderMonochart, validateMonochartValues } from './render-monochart.js';
export type { K8sObject, MonochartContext } from './monochart-context.js';
export { MonochartValuesError } from './monochart-values-error.js';
export type { ValueProblem } from '../../schema/check-values.js';
export type { MonochartValues } from './values-description.js';
export {
  MONOCHART_REFERENCE_FILE,
  MONOCHART_SCHEMA_FILE,
  monochartValuesJsonSchema,
  monochartValuesJsonSchemaText,
  monochartValuesReference,
} from './values-documents.js';
