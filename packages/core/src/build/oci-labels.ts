/** What the automatic OCI annotations are made from. */
export interface Provenance {
  /** e.g. https://github.com/acme/verity-api */
  sourceUrl: string;
  revision: string;
  version: string;
  title: string;
  created: Date;
}

export const REVISION_LABEL = 'org.opencontainers.image.revision';

/**
 * The OCI image-spec pre-defined annotations every image gets, so any image
 * can be traced back to its commit (and skip-existing can recognise it).
 * Labels the user sets win.
 */
export function imageLabels(provenance: Provenance, userLabels: Record<string, string>): Record<string, string> {
  const automatic: Record<string, string> = {
    'org.opencontainers.image.source': provenance.sourceUrl,
    [REVISION_LABEL]: provenance.revision,
    'org.opencontainers.image.version': provenance.version,
    'org.opencontainers.image.created': provenance.created.toISOString(),
    'org.opencontainers.image.title': provenance.title,
  };
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(automatic)) if (v) labels[k] = v;
  return { ...labels, ...userLabels };
}
