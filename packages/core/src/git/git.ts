import { InputError, ToolError } from '../errors/errors.js';
import { runTool, type RunToolOptions, type ToolResult } from '../exec/run-tool.js';

export interface GitOptions {
  /** Working directory of the repository (any directory inside it). */
  cwd: string;
  /**
   * HTTP auth for commands that talk to a remote. It reaches git through
   * GIT_CONFIG_* environment entries of that one process, never argv, a URL or
   * .git/config, so nothing is left behind.
   */
  token?: string;
  /** Called with each argv before it runs; used for logging and counting. */
  onCommand?: (args: readonly string[]) => void;
}

/** Environment that keeps git deterministic and non-interactive for parsing. */
const BASE_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GIT_ASKPASS: '',
  LC_ALL: 'C',
  LANG: 'C',
  GIT_PAGER: 'cat',
};

/** A repository on disk, operated through the git CLI. */
export class Git {
  constructor(private readonly options: GitOptions) {}

  get cwd(): string {
    return this.options.cwd;
  }

  /** Runs `git <args>`; a non-zero exit is a ToolError unless listed in okExitCodes. */
  async run(args: readonly string[], extra: Omit<RunToolOptions, 'cwd'> = {}): Promise<ToolResult> {
    this.options.onCommand?.(args);
    const env: Record<string, string | undefined> = { ...BASE_ENV, ...extra.env };
    const secrets = [...(extra.secrets ?? [])];
    if (this.options.token) {
      const basic = Buffer.from(`x-access-token:${this.options.token}`).toString('base64');
      env.GIT_CONFIG_COUNT = '1';
      env.GIT_CONFIG_KEY_0 = 'http.extraheader';
      env.GIT_CONFIG_VALUE_0 = `AUTHORIZATION: basic ${basic}`;
      secrets.push(this.options.token, basic);
    }
    return runTool(['git', ...args], { ...extra, cwd: this.options.cwd, env, secrets });
  }

  /** stdout of `git <args>` without the trailing newline. */
  async text(args: readonly string[], extra: Omit<RunToolOptions, 'cwd'> = {}): Promise<string> {
    return (await this.run(args, extra)).stdout.replace(/\n$/, '');
  }
}

/** True when the error says the directory is not inside a git work tree. */
export function isNotARepository(error: unknown): boolean {
  return error instanceof ToolError && /not a git repository/i.test(error.stderrTail);
}

/** Git's own rules for a ref name (git check-ref-format), checked without a process. */
export function refNameProblem(name: string): string | undefined {
  if (name === '') return 'it is empty';
  if (name.startsWith('/') || name.endsWith('/')) return "it starts or ends with '/'";
  if (name.includes('//')) return "it contains '//'";
  if (name.includes('..')) return "it contains '..'";
  if (name.includes('@{')) return "it contains '@{'";
  if (name === '@') return "it is '@'";
  if (name.endsWith('.')) return "it ends with '.'";
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0020\u007f~^:?*[\\]/.test(name)) return 'it contains a space, a control character or one of ~ ^ : ? * [ \\';
  for (const part of name.split('/')) {
    if (part.startsWith('.')) return `a component starts with '.' ('${part}')`;
    if (part.endsWith('.lock')) return `a component ends with '.lock' ('${part}')`;
  }
  return undefined;
}

export function assertRefName(name: string, what: string): void {
  const problem = refNameProblem(name);
  if (problem) throw new InputError(`${what} cannot form a git ref: ${problem}`);
}
