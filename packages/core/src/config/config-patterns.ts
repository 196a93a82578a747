import type { Pattern } from '../schema/schema-dsl.js';

/**
 * The grammars of gitops.yaml's own values, as regular expressions an
 * editor's JSON Schema engine runs too. Each mirrors what the action that
 * takes the value accepts, so a file that passes here does not fail there:
 * the repository forms of gitops/repository-url.ts, the image names of
 * registry/reference.ts, the Slack mentions of notify/mentions.ts.
 */

const OWNER_NAME = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+';
const GIT_URL = '(?:https?|ssh|file)://\\S+';
const SCP_LIKE = '(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*:(?!//|:|-)\\S+';

export const GITOPS_REPOSITORY: Pattern = {
  regex: `^(?:${OWNER_NAME}|${GIT_URL}|${SCP_LIKE})$`,
  what: 'a repository: owner/name on this GitHub server, or a git URL (https://, ssh://, git@host:path, file://)',
  short: 'owner/name or git URL',
  example: 'acme/va-verity-eks-stage-gitops',
};

/** A branch name with the globs of the version action's `release-branches` (`*`, `**`, `?`); git's ref-name rules otherwise. */
export const BRANCH_PATTERN: Pattern = {
  regex: '^(?!-)(?!/)(?!refs/)(?!.*//)(?!.*\\.\\.)(?!.*@\\{)(?!.*(?:/|\\.lock|\\.)$)(?!.*/\\.)(?!\\.)[^\\s~^:\\[\\\\\\x00-\\x1f\\x7f]+$',
  what: "a branch name or glob ('*' within a segment, '**' across segments), without refs/heads/, spaces, '..', '~', '^', ':' or '['",
  short: 'branch glob',
  example: 'release/**',
};

export const BRANCH_NAME: Pattern = {
  regex: '^(?!-)(?!/)(?!refs/)(?!.*//)(?!.*\\.\\.)(?!.*@\\{)(?!.*(?:/|\\.lock|\\.)$)(?!.*/\\.)(?!\\.)[^\\s~^:?*\\[\\\\\\x00-\\x1f\\x7f]+$',
  what: "a branch name, without refs/heads/, spaces, '..', '~', '^', ':', '?', '*' or '['",
  short: 'branch',
  example: 'main',
};

/** registry/reference.ts's IMAGE: `[registry[:port]/]path`, lower-case path components, no tag or digest. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
export const IMAGE_NAME: Pattern = {
  regex: `^(?=.{1,255}$)(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`,
  what: 'an image name without tag or digest, with a lower-case path (the tag comes from the version step, the digest from the build)',
  short: 'image name',
  example: 'ghcr.io/acme/verity-api',
};

/** render's `chart`: the builtin chart, an oci:// helm chart, or a directory in the repository. */
export const CHART: Pattern = {
  regex: '^(?:builtin:monochart|oci://\\S+|(?!builtin:)(?!oci:)(?!/)(?!\\.\\.(?:/|$))(?!.*/\\.\\.(?:/|$))\\S+)$',
  what: "builtin:monochart, an oci:// helm chart reference, or a chart or kustomization directory (relative, without '..')",
  short: 'chart',
  example: 'builtin:monochart',
};

/** A values file as render's `values` lines take it: `?` marks one that may be missing; `${environment}` is replaced. */
export const VALUES_FILE: Pattern = {
  regex: '^\\??(?!/)(?!\\.\\.(?:/|$))(?!.*/\\.\\.(?:/|$))[^\\s?]\\S*$',
  what: "a relative path without '..' (a leading '?' marks a file that may be missing)",
  short: 'values file',
  example: 'deploy/${environment}.yaml',
};

/** Where in the GitOps repository, as commit-to-gitops checks its `path`. */
export const GITOPS_PATH: Pattern = {
  regex: '^(?=.{1,255}$)[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*$',
  what: "a directory in the GitOps repository: '/'-separated names of letters, digits, '.', '_' and '-', each starting with a letter or digit",
  short: 'repository path',
  example: 'clusters/prod-eu/verity-api--production',
};

export const SET_PATH: Pattern = {
  regex: '^[^\\s=]+$',
  what: "a values path like image.pullPolicy or env[0].value (no spaces or '=')",
  short: 'values path',
  example: 'podAnnotations.team',
};

export const BUILD_ARG: Pattern = {
  regex: '^[A-Za-z_][A-Za-z0-9_]*$',
  what: "a build argument name (letters, digits and '_', not starting with a digit)",
  short: 'build argument',
  example: 'JAVA_VERSION',
};

export const IMAGE_LABEL: Pattern = {
  regex: '^[^\\s=]+$',
  what: "a label key without spaces or '='",
  short: 'label key',
  example: 'org.opencontainers.image.vendor',
};

export const PLATFORM: Pattern = {
  regex: '^[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?$',
  what: 'a platform like linux/amd64 or linux/arm64/v8',
  short: 'platform',
  example: 'linux/arm64',
};

export const KUBE_VERSION: Pattern = {
  regex: '^v?1\\.(?:1[6-9]|[2-9][0-9])(?:\\.[0-9]+(?:[-+][0-9A-Za-z.+-]+)?)?$',
  what: 'a Kubernetes version such as 1.32, v1.32 or 1.32.3 (1.16 or later)',
  short: 'Kubernetes version',
  example: '1.32',
};

export const HELM_VERSION: Pattern = {
  regex: '^v?[0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9A-Za-z.-]+)?$',
  what: 'a helm release such as 3.19.0',
  short: 'helm release',
  example: '3.19.0',
};

export const SEMVER: Pattern = {
  regex: '^(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?$',
  what: 'a semantic version such as 0.1.0, without a prefix',
  short: 'semantic version',
  example: '0.1.0',
};

export const TAG_PREFIX: Pattern = {
  regex: '^[^\\s~^:?*\\[\\\\]*$',
  what: "a git tag prefix without spaces, '~', '^', ':', '?', '*' or '['",
  short: 'tag prefix',
  example: 'verity-api/v',
};

export const IMAGE_TAG: Pattern = {
  regex: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
  what: "an image tag (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-')",
  short: 'image tag',
  example: 'staging',
};

/** notify's `channel` with a bot token: an ID, or a name with or without '#'. */
export const SLACK_CHANNEL: Pattern = {
  regex: '^(?:#?[a-z0-9][a-z0-9._-]{0,79}|[CGDUW][A-Z0-9]{6,})$',
  what: 'a Slack channel ID like C0123ABCD or a name like #deploys',
  short: 'channel',
  example: 'C0123456',
};

export const SLACK_MENTION: Pattern = {
  regex: '^(?:<!subteam\\^[A-Z0-9]{2,30}(?:\\|@[\\w.-]{1,80})?>|<@[UW][A-Z0-9]{2,30}>|<!here>|<!channel>)$',
  what: 'a Slack mention by ID: <!subteam^S0123> (a user group), <@U0123> (a user), <!here> or <!channel>',
  short: 'mention',
  example: '<!subteam^S0123ABC>',
};

export const PR_LABEL: Pattern = {
  regex: '^\\S(?:.{0,48}\\S)?$',
  what: 'a pull request label (at most 50 characters, no leading or trailing space)',
  short: 'label',
  example: 'deploy',
};

/** Argo CD's Application destination: the API server URL, or the name of a cluster Argo CD knows. */
export const ARGOCD_DESTINATION: Pattern = {
  regex: '^(?:https://\\S+|[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)$',
  what: 'a cluster API server URL (https://…) or the name of a cluster registered in Argo CD',
  short: 'server URL or cluster name',
  example: 'https://kubernetes.default.svc',
};

/** The Argo CD API server the wait step polls: its URL, with a path prefix when Argo CD runs under `--rootpath`. */
export const ARGOCD_URL: Pattern = {
  regex: '^https?://[^\\s/@?#]+(?:/[^\\s?#]*)?$',
  what: "the Argo CD server's URL (https://…, without credentials, query or fragment; http:// only with insecure: true)",
  short: 'Argo CD URL',
  example: 'https://argocd.example.com',
};

/** A duration as the wait-for-sync action reads it (argocd/duration.ts). */
export const DURATION: Pattern = {
  regex: '^(?:\\d+|(?=\\d)(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?)$',
  what: 'a duration such as 90s, 10m, 1h30m or a number of seconds',
  short: 'duration',
  example: '10m',
};

/** The actions take maps as `KEY=VALUE` lines, so a value cannot span lines. */
export const SINGLE_LINE: Pattern = {
  regex: '^[^\\r\\n]*$',
  what: 'a single line (the action takes these as KEY=VALUE lines)',
  short: 'single line',
  example: 'Always',
};
