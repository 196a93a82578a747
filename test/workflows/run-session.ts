import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { refName, refType, type EventFacts, type RunIdentity } from './event-context.js';
import { SecretMasker } from './secret-masker.js';
import type { Sources } from './uses-reference.js';

export interface EnvironmentSettings {
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
}

/** What every job of one run (nested workflows included) shares. */
export interface Session {
  workspace: string;
  sources: Sources;
  identity: RunIdentity;
  facts: EventFacts;
  eventPath: string;
  /** The top-level workflow: `github.workflow`, `GITHUB_WORKFLOW_REF`. */
  workflowName: string;
  workflowFile: string;
  vars: Record<string, string>;
  environments: Record<string, EnvironmentSettings>;
  /** Knows every secret of the run. */
  masker: SecretMasker;
  /** The machine's own environment: PATH and whatever the test adds (shims, tool locations). */
  machineEnv: Record<string, string>;
  baseDir: string;
  jobCount: number;
}

export interface JobDirs {
  temp: string;
  home: string;
  toolCache: string;
}

/** A fresh machine per job: its own RUNNER_TEMP, HOME and tool cache (the workspace is shared). */
export function jobDirs(session: Session, jobName: string): JobDirs {
  const dir = join(session.baseDir, `${++session.jobCount}-${jobName.replace(/[^\w.-]+/g, '_').slice(0, 60)}`);
  const dirs = { temp: join(dir, 'temp'), home: join(dir, 'home'), toolCache: join(dir, 'tool-cache') };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  mkdirSync(join(dirs.temp, '_runner_file_commands'));
  return dirs;
}

export interface StepFiles {
  output: string;
  env: string;
  path: string;
  state: string;
  summary: string;
}

/** The per-step files behind $GITHUB_OUTPUT and friends, empty at the start of each step. */
export function stepFiles(dirs: JobDirs, n: number): StepFiles {
  const dir = join(dirs.temp, '_runner_file_commands');
  const files = {
    output: join(dir, `set_output_${n}`),
    env: join(dir, `set_env_${n}`),
    path: join(dir, `add_path_${n}`),
    state: join(dir, `save_state_${n}`),
    summary: join(dir, `step_summary_${n}`),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return files;
}

/** Where the step runs: for the `github` context and the GITHUB_* variables. */
export interface StepPlace {
  job: string;
  action: string;
  dirs: JobDirs;
  files: StepFiles | undefined;
  actionPath?: string;
  actionRepository?: string;
  actionRef?: string;
}

export function githubContext(session: Session, place: Omit<StepPlace, 'dirs'>): Record<string, unknown> {
  const { identity, facts } = session;
  const owner = identity.repository.split('/')[0];
  return {
    action: place.action,
    action_path: place.actionPath ?? '',
    action_ref: place.actionRef ?? '',
    action_repository: place.actionRepository ?? '',
    actor: identity.actor,
    actor_id: '1',
    api_url: identity.apiUrl,
    base_ref: facts.baseRef,
    env: place.files?.env ?? '',
    event: facts.payload,
    event_name: facts.name,
    event_path: session.eventPath,
    graphql_url: identity.graphqlUrl,
    head_ref: facts.headRef,
    job: place.job,
    output: place.files?.output ?? '',
    path: place.files?.path ?? '',
    ref: facts.ref,
    ref_name: refName(facts.ref),
    ref_protected: false,
    ref_type: refType(facts.ref),
    repository: identity.repository,
    repository_id: '1',
    repository_owner: owner,
    repository_owner_id: '1',
    repositoryUrl: `git://${new URL(identity.serverUrl).host}/${identity.repository}.git`,
    retention_days: '90',
    run_attempt: identity.runAttempt,
    run_id: identity.runId,
    run_number: identity.runNumber,
    secret_source: 'Actions',
    server_url: identity.serverUrl,
    sha: facts.sha,
    state: place.files?.state ?? '',
    step_summary: place.files?.summary ?? '',
    token: identity.token,
    triggering_actor: identity.actor,
    workflow: session.workflowName,
    workflow_ref: `${identity.repository}/${session.workflowFile}@${facts.ref}`,
    workflow_sha: facts.sha,
    workspace: session.workspace,
  };
}

export function runnerContext(dirs: JobDirs): Record<string, string> {
  return { os: 'Linux', arch: 'X64', name: 'local-runner', environment: 'github-hosted', temp: dirs.temp, tool_cache: dirs.toolCache, debug: '' };
}

/**
 * A step's process environment, as the runner builds it: the machine's, then the workflow's
 * `env` (workflow, job, $GITHUB_ENV, step), then the runner's own variables, with
 * $GITHUB_PATH entries in front of PATH. Nothing else of the test process leaks in.
 */
export function processEnv(session: Session, place: StepPlace, env: Record<string, string>, paths: string[]): Record<string, string> {
  const { identity, facts } = session;
  const files = place.files!;
  const out: Record<string, string> = {
    LANG: 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    HOME: place.dirs.home,
    ...session.machineEnv,
    ...env,
    GITHUB_ACTION: place.action,
    GITHUB_ACTION_PATH: place.actionPath ?? '',
    GITHUB_ACTION_REPOSITORY: place.actionRepository ?? '',
    GITHUB_ACTION_REF: place.actionRef ?? '',
    GITHUB_ACTOR: identity.actor,
    GITHUB_ACTOR_ID: '1',
    GITHUB_API_URL: identity.apiUrl,
    GITHUB_BASE_REF: facts.baseRef,
    GITHUB_ENV: files.env,
    GITHUB_EVENT_NAME: facts.name,
    GITHUB_EVENT_PATH: session.eventPath,
    GITHUB_GRAPHQL_URL: identity.graphqlUrl,
    GITHUB_HEAD_REF: facts.headRef,
    GITHUB_JOB: place.job,
    GITHUB_OUTPUT: files.output,
    GITHUB_PATH: files.path,
    GITHUB_REF: facts.ref,
    GITHUB_REF_NAME: refName(facts.ref),
    GITHUB_REF_PROTECTED: 'false',
    GITHUB_REF_TYPE: refType(facts.ref),
    GITHUB_REPOSITORY: identity.repository,
    GITHUB_REPOSITORY_OWNER: identity.repository.split('/')[0]!,
    GITHUB_RETENTION_DAYS: '90',
    GITHUB_RUN_ATTEMPT: identity.runAttempt,
    GITHUB_RUN_ID: identity.runId,
    GITHUB_RUN_NUMBER: identity.runNumber,
    GITHUB_SERVER_URL: identity.serverUrl,
    GITHUB_SHA: facts.sha,
    GITHUB_STATE: files.state,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_TRIGGERING_ACTOR: identity.actor,
    GITHUB_WORKFLOW: session.workflowName,
    GITHUB_WORKFLOW_REF: `${identity.repository}/${session.workflowFile}@${facts.ref}`,
    GITHUB_WORKFLOW_SHA: facts.sha,
    GITHUB_WORKSPACE: session.workspace,
    RUNNER_ARCH: 'X64',
    RUNNER_DEBUG: '',
    RUNNER_ENVIRONMENT: 'github-hosted',
    RUNNER_NAME: 'local-runner',
    RUNNER_OS: 'Linux',
    RUNNER_TEMP: place.dirs.temp,
    RUNNER_TOOL_CACHE: place.dirs.toolCache,
  };
  // The runner sets these only when there is something to say.
  for (const name of ['RUNNER_DEBUG', 'GITHUB_ACTION_PATH', 'GITHUB_ACTION_REPOSITORY', 'GITHUB_ACTION_REF']) if (!out[name]) delete out[name];
  out.PATH = [...paths, out.PATH ?? ''].filter(Boolean).join(':');
  return out;
}
