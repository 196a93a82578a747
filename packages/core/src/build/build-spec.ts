/** Everything a builder needs, validated and resolved (absolute paths, full references). */
export interface BuildSpec {
  context: string;
  file: string;
  /** `os/arch[/variant]`; empty means the builder's default (the host platform). */
  platforms: string[];
  buildArgs: Record<string, string>;
  /** Build secret id → path of a private file holding the value. */
  secretFiles: Record<string, string>;
  labels: Record<string, string>;
  target: string;
  /** Full references, `<image>:<tag>`, the first one immutable. */
  refs: string[];
  push: boolean;
  cache: 'gha' | 'registry' | 'local' | 'none';
  /** The repository, `<registry>/<path>`, without tag: registry caches live next to it. */
  image: string;
  insecure: boolean;
}

export interface BuildResult {
  /** sha256 digest of what was pushed (an index for multi-platform builds); '' when not pushed. */
  digest: string;
  builderSeconds: number;
}

export type BuilderName = 'docker' | 'buildah';
