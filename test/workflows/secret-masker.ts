/**
 * The runner's secret masker: every secret and every `::add-mask::` value becomes `***`
 * in the log. Secrets are known to the whole run; added masks only to the job that added
 * them, as each job runs on its own machine.
 */
export class SecretMasker {
  private readonly values = new Set<string>();

  constructor(private readonly parent?: SecretMasker) {}

  child(): SecretMasker {
    return new SecretMasker(this);
  }

  add(value: string): void {
    if (!value.trim()) return;
    this.values.add(value);
    // A multi-line secret printed line by line must not leak either.
    for (const line of value.split(/\r?\n/)) if (line.trim()) this.values.add(line);
  }

  private all(): string[] {
    return [...(this.parent?.all() ?? []), ...this.values];
  }

  mask(text: string): string {
    let out = text;
    for (const value of this.all().sort((a, b) => b.length - a.length)) out = out.split(value).join('***');
    return out;
  }

  /** Whether the text carries something masked: the runner then refuses to pass it on as a job output. */
  reveals(text: string): boolean {
    return this.all().some((value) => text.includes(value));
  }
}
