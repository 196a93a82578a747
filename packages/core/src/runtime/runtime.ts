/**
 * Where a step's effects go: the Actions runner (github-runtime.ts) or a
 * terminal/test (local-runtime.ts). Steps receive a Runtime; only the GitHub
 * implementation imports @actions/core.
 */
export interface Runtime {
  /** Raw input text as the runner gives it; '' when unset. */
  getInput(name: string): string;
  setOutput(name: string, value: string): void;
  /** Mask a value in every later log line and remember it for redaction. */
  setSecret(value: string): void;
  readonly secrets: readonly string[];
  info(message: string): void;
  warning(message: string): void;
  error(message: string): void;
  debug(message: string): void;
  group<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Markdown appended to the job summary. */
  summary(markdown: string): Promise<void>;
  setFailed(message: string): void;
}

/** The slice of the run context a step may need, read once by the entry. */
export interface RunContext {
  eventName: string;
  /** Full ref, e.g. refs/heads/main, refs/pull/7/merge, refs/tags/v1.0.0; '' outside a runner. */
  ref: string;
  /** Source branch of a pull request (GITHUB_HEAD_REF); '' otherwise. */
  headRef: string;
  sha: string;
  repository: string;
  workspace: string;
  runnerTemp: string;
  /** Where actions cache downloaded tools (RUNNER_TOOL_CACHE); '' outside a runner. */
  toolCache: string;
  serverUrl: string;
  /** The REST API of that server (GITHUB_API_URL), e.g. https://api.github.com. */
  apiUrl: string;
  /** Who started the run (GITHUB_ACTOR); '' outside a runner. */
  actor: string;
  runId: string;
  /** The event payload; {} when unavailable. */
  payload: Record<string, unknown>;
}
