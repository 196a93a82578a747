/**
 * import-ecs: an ECS task definition (with its service) or an ecs-cli compose
 * project as builtin-monochart values, and a report of every input field.
 */
export { DEFAULT_KUBE_VERSION, importEcs, type ImportEcsOptions, type ImportEcsResult, type SourceText } from './import-ecs.js';
export { ConversionReport, leafPaths, type FieldStatus, type ReportEntry } from './conversion-report.js';
export { summaryLine } from './report-markdown.js';
export type { SecretReference } from './secret-references.js';
