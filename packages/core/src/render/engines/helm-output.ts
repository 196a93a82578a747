import { loadYamlDocuments } from '../../yaml/load-yaml.js';

/** One document of `helm template` output and the template it came from. */
export interface HelmDocument {
  /** `<chart>/templates/<file>`, `<chart>/crds/<file>`, `<chart>/charts/<sub>/templates/<file>`; '' if helm named none. */
  source: string;
  /** The parsed document: an object for a well-formed chart; render-app checks it is a Kubernetes object. */
  content: unknown;
}

/** The largest document we read; helm's output as a whole is bounded when it is captured. */
const MAX_DOCUMENT_BYTES = 16 * 1024 * 1024;

/**
 * The documents of `helm template` output. helm prints every rendered
 * manifest as `---`, a `# Source: <chart>/templates/<file>` comment, then
 * the manifest (CRDs from `--include-crds` first, under their `crds/` path;
 * hooks last); a template may itself hold several documents, which then
 * share its source, as do the documents of a CRD file. NOTES.txt is never part of this output. Templates that
 * render to nothing but comments or whitespace give empty documents: they
 * are dropped, as `kubectl apply` and Argo CD drop them.
 *
 * Each document is parsed on its own (YAML forbids `---` at the start of a
 * line inside any scalar, so splitting on such lines is exact), so that an
 * error names the template to look at.
 */
export function parseHelmTemplateOutput(text: string, label: string): HelmDocument[] {
  const documents: HelmDocument[] = [];
  let source = '';
  for (const chunk of splitDocuments(text)) {
    // helm prints CRD files as they are: one with `---` lines of its own continues under the last `# Source:`.
    source = sourceOf(chunk) ?? source;
    const where = source ? `${label}, ${source}` : label;
    for (const content of loadYamlDocuments(chunk, { file: where }, { maxBytes: MAX_DOCUMENT_BYTES })) {
      documents.push({ source, content });
    }
  }
  return documents;
}

/** The text cut before each line that starts a document (`---` alone or followed by a space). */
function splitDocuments(text: string): string[] {
  const chunks: string[] = [];
  const marker = /^---(?:[ \t][^\n]*)?\r?$/gm;
  let start = 0;
  for (let m = marker.exec(text); m; m = marker.exec(text)) {
    if (m.index > start) chunks.push(text.slice(start, m.index));
    start = m.index;
  }
  if (start < text.length) chunks.push(text.slice(start));
  return chunks.filter((c) => c.trim() !== '');
}

/** The `# Source:` comment helm puts at the head of a document, before any content; undefined when there is none. */
function sourceOf(chunk: string): string | undefined {
  for (const line of chunk.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' || /^---(?:\s|$)/.test(trimmed)) continue;
    const source = /^# Source: (.+)$/.exec(trimmed);
    if (source) return (source[1] as string).trim();
    if (!trimmed.startsWith('#')) return undefined;
  }
  return undefined;
}
