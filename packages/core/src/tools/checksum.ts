import { ToolError } from '../errors/errors.js';

const LINE = /^([0-9a-fA-F]{64})(?:[ \t]+\*?(.+))?$/;

/**
 * The SHA-256 that a checksum file gives for `fileName`. Two layouts are
 * read: sha256sum's (`<hex>  <file>`, one line per file, `*` marking binary
 * mode) and a bare digest (`<hex>`, helm's older `.sha256` files). `source`
 * names the file in messages.
 */
export function sha256ForFile(text: string, fileName: string, source: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  for (const line of lines) {
    const match = LINE.exec(line);
    if (!match) continue;
    const [, hex, named] = match;
    if (named === undefined ? lines.length === 1 : named.trim() === fileName) return (hex as string).toLowerCase();
  }
  throw new ToolError(`read ${source}`, null, '', `it holds no SHA-256 for ${fileName} (expected a line '<64 hex digits>  ${fileName}')`);
}

/** Compares before anything from the download is used; the message names both digests so a mirror's mistake can be traced. */
export function assertSha256(what: string, expected: string, actual: string): void {
  if (expected.toLowerCase() === actual.toLowerCase()) return;
  throw new ToolError(
    `verify ${what}`,
    null,
    '',
    `SHA-256 mismatch: expected ${expected.toLowerCase()}, got ${actual.toLowerCase()}; the download was discarded and nothing was installed`,
  );
}
