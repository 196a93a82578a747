import { DNS_LABEL, DNS_SUBDOMAIN, RELATIVE_PATH } from '../schema/k8s-patterns.js';
import { s, type ValuesOf } from '../schema/schema-dsl.js';
import {
  ARGOCD_DESTINATION,
  ARGOCD_URL,
  BRANCH_NAME,
  BRANCH_PATTERN,
  BUILD_ARG,
  CHART,
  DURATION,
  GITOPS_PATH,
  GITOPS_REPOSITORY,
  HELM_VERSION,
  IMAGE_LABEL,
  IMAGE_NAME,
  IMAGE_TAG,
  KUBE_VERSION,
  PLATFORM,
  PR_LABEL,
  SEMVER,
  SET_PATH,
  SINGLE_LINE,
  SLACK_CHANNEL,
  SLACK_MENTION,
  TAG_PREFIX,
  VALUES_FILE,
} from './config-patterns.js';

/*
 * gitops.yaml: the single description the validator, the types,
 * schemas/gitops.schema.json and docs/gitops-yaml.md come from.
 *
 * The file is a way to give the actions' inputs, not a second system: every
 * key under `version`, `build`, `render`, `gitops` and `notify.slack` is the
 * input of the same name of the action it feeds (a test holds them to
 * action.yml), and their defaults are the actions' own, documented here as
 * text and applied by the actions, so no default lives in two places.
 * Secrets never belong here: the file is committed.
 */

/**
 * Keys people write secrets under. They are refused with a hint; the loader
 * also never quotes their line in a message, since it holds the secret.
 */
export const SECRET_KEYS: ReadonlySet<string> = new Set(['token', 'ssh-key', 'webhook', 'webhook-url', 'bot-token', 'argocd-token', 'password', 'secrets']);

const secretHint = (input: string) =>
  `a secret does not belong in gitops.yaml, which is committed: give the action's '${input}' input from a secret, e.g. \${{ secrets.NAME }}`;

/** The action's own default, for the reference; the action applies it. */
const actionDefault = (value: string) => `\`${value}\``;

// ---- settings each environment may set, and the top level sets for all of them ----

const values = s.array(s.string({ pattern: VALUES_FILE }), {
  description:
    "Values files merged in order (render `values`), relative to the directory of gitops.yaml: the top-level list first, then the environment's. A leading `?` marks a file that may be missing; `${environment}` stands for the environment's name.",
});

const set = s.map(
  s.string({ pattern: SINGLE_LINE, typeHint: "set values are strings, as with helm's --set-string: quote numbers and booleans, e.g. '3'" }),
  {
    keys: SET_PATH,
    description: "Single values set over the values files (render `set`, as `path=value` lines). The environment's entries win over the top level's.",
  },
);

const renderOptions = s.object(
  {
    engine: s.string({ enum: ['auto', 'builtin', 'helm', 'kustomize'], defaultText: actionDefault('auto'), description: 'Which engine renders the chart; `auto` tells from the chart.' }),
    'kube-version': s.string({
      pattern: KUBE_VERSION,
      defaultText: actionDefault('1.32'),
      description: "The Kubernetes version of the environment's cluster: charts are rendered for it and every object is checked against its API.",
      typeHint: "quote versions: unquoted, 1.30 is the number 1.3",
    }),
    'helm-version': s.string({ pattern: HELM_VERSION, defaultText: actionDefault('3.19.0'), description: 'The helm 3 release the helm engine uses.' }),
    validate: s.boolean({ defaultText: actionDefault('true'), description: "Validate values against the chart's schema." }),
    timeout: s.integer({ minimum: 1, maximum: 3600, defaultText: actionDefault('90'), description: 'Seconds allowed per render.' }),
  },
  { definition: 'renderOptions', description: 'Options of the render action; an environment overrides them key by key.' },
);

const gitopsTarget = s.object(
  {
    repository: s.string({
      pattern: GITOPS_REPOSITORY,
      description: "The environment's GitOps repository, the one its cluster's Argo CD syncs. Needed to commit.",
    }),
    branch: s.string({ pattern: BRANCH_NAME, defaultText: actionDefault('main'), description: 'The branch the desired state lands on (the base branch of pull requests).' }),
    mode: s.string({
      enum: ['push', 'pull-request'],
      defaultText: actionDefault('push'),
      description: '`push` commits to the branch; `pull-request` proposes the change in a pull request, e.g. for production.',
    }),
    path: s.string({ pattern: GITOPS_PATH, defaultText: '`<app>--<environment>`', description: 'The directory in the GitOps repository that holds this app in this environment.' }),
    'create-branch': s.boolean({ defaultText: actionDefault('false'), description: 'Create the branch when the repository does not have it yet.' }),
    'pr-labels': s.array(s.string({ pattern: PR_LABEL }), { description: 'Labels for the pull request.' }),
    'pr-base': s.string({ pattern: BRANCH_NAME, defaultText: '`branch`', description: 'The branch the pull request merges into.' }),
    'auto-merge': s.boolean({ defaultText: actionDefault('false'), description: "Merge the pull request once the branch's required checks and reviews pass." }),
  },
  {
    definition: 'gitopsTarget',
    description: 'Where the rendered manifests are committed (the commit-to-gitops inputs); an environment overrides the top level key by key.',
    unknownKeyHints: { token: secretHint('token'), 'ssh-key': secretHint('ssh-key'), repo: "did you mean 'repository'?" },
  },
);

const slack = s.object(
  {
    channel: s.string({
      pattern: SLACK_CHANNEL,
      description: 'The channel deploys are reported to, when notifying through a bot token (an incoming webhook always posts to its own channel).',
    }),
    thread: s.boolean({ defaultText: actionDefault('false'), description: 'Post the changelog as a reply in the message’s thread (bot token only).' }),
    'mention-on-failure': s.array(s.string({ pattern: SLACK_MENTION }), { description: 'Who is mentioned when a deploy fails.' }),
    'fail-on-error': s.boolean({
      defaultText: actionDefault('false'),
      description: 'Fail the step when Slack cannot be reached; by default that is a warning and the deploy stands.',
    }),
  },
  {
    definition: 'slack',
    description: 'Deploy messages in Slack (the notify inputs). The webhook URL or bot token is a secret and goes to the action.',
    unknownKeyHints: {
      webhook: secretHint('webhook-url'),
      'webhook-url': secretHint('webhook-url'),
      'bot-token': secretHint('bot-token'),
      token: secretHint('bot-token'),
    },
  },
);

const notify = s.object(
  { slack },
  { definition: 'notify', description: 'Who hears about deploys (the notify inputs); an environment overrides the top level key by key.' },
);

const argocd = s.object(
  {
    application: s.string({
      pattern: DNS_LABEL,
      defaultText: '`<app>--<environment>`',
      description: 'The Application\'s name in Argo CD: the one written with the first deploy, and the one the wait step watches.',
    }),
    'create-application': s.boolean({
      defaultText: '`true`',
      description: 'Write the Application manifest with the first deploy. `false` when something else creates it (an ApplicationSet, hand-written YAML); the wait step still watches it.',
    }),
    project: s.string({ pattern: DNS_SUBDOMAIN, defaultText: '`default`', description: 'The Argo CD project of the Application.' }),
    destination: s.string({
      pattern: ARGOCD_DESTINATION,
      description: 'The cluster the Application deploys to: its API server URL, or its name in Argo CD. Needed unless `create-application` is false.',
    }),
    namespace: s.string({ pattern: DNS_LABEL, defaultText: "the environment's `namespace`", description: "The Application's destination namespace; without one, the rendered objects' own namespaces apply." }),
    path: s.string({
      pattern: GITOPS_PATH,
      defaultText: '`applications`',
      description: 'The directory in the GitOps repository the Application manifest `<app>--<environment>.yaml` is written to, where an app-of-apps picks it up.',
    }),
    'sync-policy': s.string({
      enum: ['automated', 'manual'],
      defaultText: '`automated`',
      description: '`automated` syncs every change (with prune and self-heal); `manual` waits for someone to sync.',
    }),
    url: s.string({
      pattern: ARGOCD_URL,
      description: "The Argo CD server the wait step polls (wait-for-sync `argocd-url`); the token goes to the action's `argocd-token` input from a secret.",
    }),
    timeout: s.string({ pattern: DURATION, defaultText: actionDefault('10m'), description: 'How long the wait step waits for the commit to be synced and healthy (wait-for-sync `timeout`).' }),
    'poll-interval': s.string({
      pattern: DURATION,
      defaultText: actionDefault('5s'),
      description: 'How long the wait step waits between its first polls of Argo CD; it backs off while nothing changes (wait-for-sync `poll-interval`).',
    }),
    'require-healthy': s.boolean({
      defaultText: actionDefault('true'),
      description: 'The wait step also waits for health `Healthy`, and fails on `Degraded` (wait-for-sync `require-healthy`).',
    }),
    insecure: s.boolean({
      defaultText: actionDefault('false'),
      description: "Do not verify the Argo CD server's TLS certificate, and allow http:// (a test cluster only; wait-for-sync `insecure`).",
    }),
  },
  {
    definition: 'argocd',
    description:
      'Argo CD for the app: the Application the first deploy writes for `<app>--<environment>`, so a new app appears in Argo CD without hand-written YAML, and the server the wait step asks whether the commit is live.',
    unknownKeyHints: {
      token: secretHint('argocd-token'),
      server: "did you mean 'url' (the Argo CD server) or 'destination' (the cluster the app runs in)?",
      'argocd-url': "did you mean 'url'?",
      name: "did you mean 'application'?",
    },
  },
);

/** What both the top level (for every environment) and each environment may set. */
const shared = {
  chart: s.string({ pattern: CHART, defaultText: actionDefault('builtin:monochart'), description: "The chart (render `chart`); an environment's replaces the top level's." }),
  values,
  set,
  namespace: s.string({ pattern: DNS_LABEL, description: "The namespace the app runs in (render `namespace`); an environment's replaces the top level's." }),
  render: renderOptions,
  gitops: gitopsTarget,
  notify,
  argocd,
};

const environment = s.object(
  {
    ...shared,
    'deploy-on': s.array(s.string({ pattern: BRANCH_PATTERN }), {
      description: 'Branches whose pushes deploy to this environment (`*` within a segment, `**` across segments).',
    }),
    'promote-from': s.string({
      pattern: DNS_LABEL,
      description: 'The environment whose running image is promoted to this one (the same digest, retagged): another environment of this file.',
    }),
  },
  {
    definition: 'environment',
    description: 'One environment; what it leaves out comes from the top level.',
    unknownKeyHints: { 'deploy-from': "did you mean 'deploy-on' or 'promote-from'?", branches: "did you mean 'deploy-on'?" },
  },
);

// ---- app-wide steps -------------------------------------------------------------------------

const version = s.object(
  {
    'tag-prefix': s.string({ pattern: TAG_PREFIX, defaultText: actionDefault('v'), description: 'Version tags are `<prefix>X.Y.Z`; a monorepo uses e.g. `verity-api/v`.' }),
    paths: s.array(s.string({ pattern: RELATIVE_PATH }), {
      description: 'Only commits touching these paths (relative to the directory of gitops.yaml) count towards the version and changelog.',
    }),
    'release-branches': s.array(s.string({ pattern: BRANCH_PATTERN }), {
      defaultText: actionDefault('[main, master]'),
      description: 'Branches whose pushes produce release versions; others get pre-releases.',
    }),
    'default-bump': s.string({
      enum: ['major', 'minor', 'patch', 'none'],
      defaultText: actionDefault('patch'),
      description: 'The bump when no commit has a releasing type; `none` makes no new version.',
    }),
    'major-on-zero': s.boolean({ defaultText: actionDefault('false'), description: 'Below 1.0.0 a breaking change bumps the minor version unless this is true.' }),
    'initial-version': s.string({ pattern: SEMVER, defaultText: actionDefault('0.1.0'), description: 'The version when no version tag exists yet.' }),
    'create-tag': s.boolean({ defaultText: actionDefault('false'), description: 'On a release branch, create and push the version tag.' }),
    'moving-tags': s.array(s.string({ pattern: IMAGE_TAG }), { description: 'Extra image tags always pushed, e.g. `latest`.' }),
  },
  { definition: 'version', description: 'How the app is versioned (the version inputs).' },
);

const build = s.object(
  {
    context: s.string({ pattern: RELATIVE_PATH, defaultText: actionDefault('.'), description: 'The build context, relative to the directory of gitops.yaml.' }),
    file: s.string({ pattern: RELATIVE_PATH, defaultText: '`<context>/Dockerfile`', description: 'The Dockerfile, relative to the directory of gitops.yaml.' }),
    builder: s.string({ enum: ['auto', 'docker', 'buildah'], defaultText: actionDefault('auto'), description: '`auto` uses docker buildx when a daemon answers, else buildah.' }),
    platforms: s.array(s.string({ pattern: PLATFORM }), { description: "Platforms to build for; the runner's when empty." }),
    'build-args': s.map(s.string({ pattern: SINGLE_LINE, typeHint: "build arguments are strings: quote numbers, e.g. '21'" }), { keys: BUILD_ARG, description: 'Build arguments.' }),
    labels: s.map(s.string({ pattern: SINGLE_LINE, typeHint: 'label values are strings: quote numbers and booleans' }), {
      keys: IMAGE_LABEL,
      description: 'Image labels, on top of the OCI labels added automatically.',
    }),
    target: s.string({ minLength: 1, description: 'The Dockerfile stage to build.' }),
    cache: s.string({ enum: ['auto', 'registry', 'none'], defaultText: actionDefault('auto'), description: 'Where layers are cached between builds.' }),
    'skip-existing': s.boolean({ defaultText: actionDefault('true'), description: "Skip the build when the registry already has this commit's image." }),
  },
  {
    definition: 'build',
    description: 'How the image is built (the build-and-push inputs).',
    unknownKeyHints: {
      dockerfile: "did you mean 'file'?",
      password: secretHint('password'),
      username: "registry credentials go to the action's 'username' and 'password' inputs, from secrets",
      secrets: secretHint('secrets'),
      args: "did you mean 'build-args'?",
    },
  },
);

export const gitopsConfigDescription = s.object(
  {
    app: s.string({ pattern: DNS_LABEL, description: 'The app: names its GitOps directories `<app>--<environment>` and its Kubernetes objects.' }),
    image: s.string({ pattern: IMAGE_NAME, description: 'The image repository the build pushes to and the environments run. Needed to build.' }),
    version,
    build,
    ...shared,
    environments: s.map(environment, { keys: DNS_LABEL, description: 'The environments, by name: each a DNS-1123 label such as `staging`.' }),
  },
  {
    required: ['app', 'environments'],
    unknownKeyHints: { name: "did you mean 'app'?" },
  },
);

/** gitops.yaml as loaded: checked, with the actions' defaults left to the actions. */
export type GitopsConfigValues = ValuesOf<typeof gitopsConfigDescription>;
export type EnvironmentValues = ValuesOf<typeof environment>;
export type GitopsTargetValues = ValuesOf<typeof gitopsTarget>;
export type ArgocdValues = ValuesOf<typeof argocd>;
export type RenderOptionValues = ValuesOf<typeof renderOptions>;
export type SlackValues = ValuesOf<typeof slack>;

/** The description of one environment, for checks that name its keys. */
export const environmentDescription = environment;
