import { toJsonSchema } from '../schema/json-schema.js';
import { referenceMarkdown } from '../schema/reference-markdown.js';
import { gitopsConfigDescription } from './gitops-config-description.js';

/** Where the generated documents live, relative to the repository root; a test keeps them current. */
export const GITOPS_CONFIG_SCHEMA_FILE = 'schemas/gitops.schema.json';
export const GITOPS_CONFIG_REFERENCE_FILE = 'docs/gitops-yaml.md';

const SUMMARY =
  'gitops.yaml: one file in the app repository that describes the app and its environments (how it is versioned, built, rendered, where its desired state is committed and who hears about it), so the actions read it instead of repeating their inputs.';

/** schemas/gitops.schema.json, for editors: `# yaml-language-server: $schema=<url of that file>`. */
export function gitopsConfigJsonSchema(): Record<string, unknown> {
  return toJsonSchema(gitopsConfigDescription, { title: 'gitops.yaml', description: SUMMARY });
}

export function gitopsConfigJsonSchemaText(): string {
  return `${JSON.stringify(gitopsConfigJsonSchema(), null, 2)}\n`;
}

/** docs/gitops-yaml.md: how the file works, then a row per key (type, default, description). */
export function gitopsConfigReference(): string {
  return referenceMarkdown(
    gitopsConfigDescription,
    `# gitops.yaml

${SUMMARY}

Generated from \`packages/core/src/config/gitops-config-description.ts\`; do not edit by hand. The same description drives the validator and \`${GITOPS_CONFIG_SCHEMA_FILE}\`; point your editor at that file for completion and checks:

\`\`\`yaml
# yaml-language-server: $schema=<url of ${GITOPS_CONFIG_SCHEMA_FILE}>
app: verity-api
image: ghcr.io/acme/verity-api
build: { context: ., file: Dockerfile }
chart: builtin:monochart
values: [deploy/values.yaml]
environments:
  staging:
    values: [deploy/staging.yaml]
    gitops: { repository: acme/va-verity-eks-stage-gitops, branch: main }
    namespace: verity
    deploy-on: [main]
  production:
    values: [deploy/production.yaml]
    gitops: { repository: acme/va-verity-eks-prod-gitops, branch: main, mode: pull-request }
    promote-from: staging
notify: { slack: { channel: C0123456 } }
argocd: { project: default, destination: https://kubernetes.default.svc }
\`\`\`

- **It gives the actions' inputs.** Each key under \`version\`, \`build\`, \`render\`, \`gitops\` and \`notify.slack\` is the input of the same name of the version, build-and-push, render, commit-to-gitops and notify actions; \`app\`, \`image\`, \`chart\`, \`values\`, \`set\` and \`namespace\` feed the actions that take them. A default shown below is the action's own, applied by the action. An input given to an action explicitly wins over the file.
- **Environments inherit the top level.** \`values\` add up (the top level's files first, then the environment's, merged like helm's), \`set\` entries merge with the environment's winning, \`chart\` and \`namespace\` are replaced, and \`render\`, \`gitops\`, \`notify\` and \`argocd\` merge key by key. An environment with nothing under it (\`preview:\`) takes everything from the top level.
- **Paths are relative to the directory of gitops.yaml** (values files, a chart directory, the build context and Dockerfile, version paths), so a monorepo keeps one gitops.yaml per app.
- **No secrets.** The file is committed: tokens, SSH keys, registry passwords and Slack webhook URLs go to the actions' inputs from \`secrets\`.
- **Checked before anything runs.** Every problem is reported at \`file:line:column\`, all at once: first unknown keys (with the closest valid one), wrong types and values; then, in a file of the right shape, a \`promote-from\` that names no environment or goes round in a circle and two environments writing the same GitOps directory. When a step's settings are computed: an unknown environment (with the ones the file has), an environment without a GitOps repository for the commit step, and a missing values file.
- Keys under \`<key>\` are names you choose (environments, \`set\` paths, build arguments); \`[]\` marks list entries.`,
  );
}
