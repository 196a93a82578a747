/**
 * The declarative gitops.yaml: one description (gitops-config-description.ts)
 * drives the validator, the types, schemas/gitops.schema.json and
 * docs/gitops-yaml.md; the settings of each step for each environment come
 * from it, and config-inputs.ts turns them into the actions' inputs.
 */
export { DEFAULT_CONFIG_FILE, loadGitopsConfig, type ConfigSource, type GitopsConfig } from './load-gitops-config.js';
export { GitopsConfigError, type ConfigProblem } from './gitops-config-error.js';
export {
  appSettings,
  environmentsForBranch,
  PIPELINE_STEPS,
  settingsFor,
  type AppSettings,
  type ArgocdSettings,
  type BuildSettings,
  type CommitSettings,
  type EnvironmentSettings,
  type NotifySettings,
  type PipelineStep,
  type RenderSettings,
  type SettingsOptions,
  type VersionSettings,
} from './environment-settings.js';
export { configInputs, STEP_ACTIONS } from './config-inputs.js';
export {
  GITOPS_CONFIG_REFERENCE_FILE,
  GITOPS_CONFIG_SCHEMA_FILE,
  gitopsConfigJsonSchema,
  gitopsConfigJsonSchemaText,
  gitopsConfigReference,
} from './config-documents.js';
