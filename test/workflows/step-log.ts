import type { SecretMasker } from './secret-masker.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

const decodeData = (s: string) => s.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
const decodeProperty = (s: string) => decodeData(s).replace(/%3A/gi, ':').replace(/%2C/gi, ',');

/**
 * What the runner does with a step's stdout and stderr: splits lines, acts on workflow
 * commands (`::add-mask::`, `::error::`, `::group::`, `::stop-commands::`, the deprecated
 * `::set-output::`), and keeps the rest, masked, as the step's log.
 */
export class StepLog {
  readonly lines: string[] = [];
  readonly annotations: Annotation[] = [];
  /** Outputs set through the deprecated `::set-output` command. */
  readonly commandOutputs: Record<string, string> = {};
  private readonly pending = { stdout: '', stderr: '' };
  private stopToken: string | undefined;

  constructor(private readonly masker: SecretMasker) {}

  write(chunk: string, stream: 'stdout' | 'stderr'): void {
    const text = this.pending[stream] + chunk;
    const lines = text.split('\n');
    this.pending[stream] = lines.pop()!;
    for (const line of lines) this.line(line.replace(/\r$/, ''));
  }

  flush(): void {
    for (const stream of ['stdout', 'stderr'] as const) {
      if (this.pending[stream]) this.line(this.pending[stream]);
      this.pending[stream] = '';
    }
  }

  /** A line of the runner's own. */
  info(text: string): void {
    for (const line of text.split('\n')) this.lines.push(this.masker.mask(line));
  }

  /** An error of the runner's own: an annotation and a log line, as `##[error]` on GitHub. */
  error(message: string): void {
    this.annotations.push({ level: 'error', message: this.masker.mask(message), properties: {} });
    this.info(`##[error]${message}`);
  }

  warning(message: string): void {
    this.annotations.push({ level: 'warning', message: this.masker.mask(message), properties: {} });
    this.info(`##[warning]${message}`);
  }

  text(): string {
    return this.lines.join('\n');
  }

  private line(line: string): void {
    const command = /^\s*::([A-Za-z-]+)(?:\s+([^:]*))?::(.*)$/.exec(line);
    if (!command) {
      this.lines.push(this.masker.mask(line));
      return;
    }
    const [, name, props = '', rawData = ''] = command;
    if (this.stopToken !== undefined) {
      if (name === this.stopToken) this.stopToken = undefined;
      else this.lines.push(this.masker.mask(line));
      return;
    }
    const data = decodeData(rawData);
    const properties: Record<string, string> = {};
    for (const pair of props.split(',')) {
      const eq = pair.indexOf('=');
      if (eq > 0) properties[pair.slice(0, eq).trim()] = decodeProperty(pair.slice(eq + 1));
    }
    switch (name) {
      case 'add-mask':
        this.masker.add(data);
        return;
      case 'error':
      case 'warning':
      case 'notice':
        this.annotations.push({ level: name, message: this.masker.mask(data), properties });
        this.info(`##[${name}]${data}`);
        return;
      case 'group':
        this.info(`##[group]${data}`);
        return;
      case 'endgroup':
        this.info('##[endgroup]');
        return;
      case 'debug':
        return;
      case 'stop-commands':
        this.stopToken = data;
        return;
      case 'set-output':
        if (properties.name) this.commandOutputs[properties.name] = data;
        this.warning('The `set-output` command is deprecated: write to $GITHUB_OUTPUT');
        return;
      default:
        this.lines.push(this.masker.mask(line));
    }
  }
}
