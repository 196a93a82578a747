/** Replaces every known secret in text with ***, longest first so overlapping secrets cannot leak a tail. */
export function redact(text: string, secrets: Iterable<string>): string {
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0).sort((a, b) => b.length - a.length);
  let out = text;
  for (const secret of ordered) out = out.split(secret).join('***');
  return out;
}
