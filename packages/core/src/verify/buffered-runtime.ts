import type { Runtime } from '../runtime/runtime.js';

/**
 * A runtime for one environment's check while others run beside it: log
 * lines are kept and written together, in one group, when the check is
 * done, so parallel renders do not interleave their lines (or their groups,
 * which the runner cannot nest). Secrets, outputs and failures go straight
 * to the parent.
 */
export class BufferedRuntime implements Runtime {
  readonly lines: Array<{ level: 'info' | 'warning' | 'error' | 'debug'; text: string }> = [];

  constructor(private readonly parent: Runtime) {}

  getInput(): string {
    return '';
  }
  setOutput(): void {}
  setSecret(value: string): void {
    if (value && !this.parent.secrets.includes(value)) this.parent.setSecret(value);
  }
  get secrets(): readonly string[] {
    return this.parent.secrets;
  }
  info(text: string): void {
    this.lines.push({ level: 'info', text });
  }
  warning(text: string): void {
    this.lines.push({ level: 'warning', text });
  }
  error(text: string): void {
    this.lines.push({ level: 'error', text });
  }
  debug(text: string): void {
    this.lines.push({ level: 'debug', text });
  }
  async group<T>(name: string, fn: () => Promise<T>): Promise<T> {
    this.info(name);
    return fn();
  }
  async summary(): Promise<void> {}
  setFailed(text: string): void {
    this.error(text);
  }

  /** Writes what was kept to the parent, in one group. */
  async flush(title: string): Promise<void> {
    await this.parent.group(title, async () => {
      for (const { level, text } of this.lines) this.parent[level](text);
    });
  }
}
