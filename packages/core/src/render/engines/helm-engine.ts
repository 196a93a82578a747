import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, ToolError } from '../../errors/errors.js';
import { runTool } from '../../exec/run-tool.js';
import { findOnPath } from '../../tools/find-on-path.js';
import { installTool, type ToolRelease } from '../../tools/install-tool.js';
import { releasePlatform } from '../../tools/release-platform.js';
import { resolveHelmChart, type HelmChartRef } from './helm-chart-ref.js';
import { parseHelmTemplateOutput, type HelmDocument } from './helm-output.js';
import { helmSetArgs } from './helm-set-args.js';

export type { HelmChartRef } from './helm-chart-ref.js';
export type { HelmDocument } from './helm-output.js';

/** Where helm's release archives and their `.sha256sum` files are published. */
export const HELM_DOWNLOAD_BASE_URL = 'https://get.helm.sh';

export interface ResolveHelmOptions {
  /** A helm release, `3.19.0` or `v3.19.0` (the `helm-version` input). */
  version: string;
  /** The tool cache root: `RUNNER_TOOL_CACHE` on a runner. */
  toolCache: string;
  /** Where the archive is downloaded to before it is verified. */
  tempDir: string;
  /** Default https://get.helm.sh; a mirror, or a loopback server in tests. */
  downloadBaseUrl?: string;
  /** The PATH searched for an installed helm. Default: this process's PATH. */
  searchPath?: string;
  platform?: NodeJS.Platform;
  arch?: string;
  log?: (line: string) => void;
  /** Per download attempt. Default 5 minutes. */
  downloadTimeoutMs?: number;
  /** Wait before a download is retried. Default 1 s (tests make it 0). */
  retryDelayMs?: number;
}

export interface ResolvedHelm {
  /** Absolute path of a helm binary of exactly the requested version. */
  path: string;
  /** `v3.19.0`, as helm prints it. */
  version: string;
  source: 'path' | 'cache' | 'download';
}

const RELEASE = /^v?([0-9]+\.[0-9]+\.[0-9]+(?:-[0-9A-Za-z.-]+)?)$/;
const VERSION_TIMEOUT_MS = 30_000;
const MAX_HELM_ARCHIVE_BYTES = 200 * 1024 * 1024;

/** `3.19.0` from `3.19.0` or `v3.19.0`; the text goes into a URL and a cache path, so nothing else is accepted. */
export function helmRelease(version: string): string {
  const match = RELEASE.exec(version.trim());
  if (!match) throw new InputError(`input 'helm-version' must be a helm release such as 3.19.0 (got '${version}')`);
  return match[1] as string;
}

/** The release archive of helm `version` for a platform, as published at `baseUrl`. */
export function helmToolRelease(version: string, options: { baseUrl?: string; platform?: NodeJS.Platform; arch?: string } = {}): ToolRelease {
  const release = helmRelease(version);
  const arch = options.arch ?? process.arch;
  const target = releasePlatform('helm', options.platform ?? process.platform, arch);
  if (target.os === 'windows') {
    throw new InputError(`helm is installed on Linux and macOS runners only; on Windows put helm v${release} on PATH before this step`);
  }
  const base = (options.baseUrl ?? HELM_DOWNLOAD_BASE_URL).replace(/\/+$/, '');
  const archiveUrl = `${base}/helm-v${release}-${target.os}-${target.arch}.tar.gz`;
  return {
    tool: 'helm',
    version: release,
    arch,
    archiveUrl,
    checksumUrl: `${archiveUrl}.sha256sum`,
    executable: `${target.os}-${target.arch}/helm`,
    maxBytes: MAX_HELM_ARCHIVE_BYTES,
  };
}

/**
 * A helm binary of exactly `version`: the one on PATH when `helm version`
 * says it is that version (GitHub's hosted runners ship one), else the
 * tool cache's, else the official release downloaded, checked against its
 * published SHA-256 and cached.
 */
export async function resolveHelm(options: ResolveHelmOptions): Promise<ResolvedHelm> {
  const log = options.log ?? (() => {});
  const wanted = `v${helmRelease(options.version)}`;
  const platform = options.platform ?? process.platform;

  const onPath = findOnPath(platform === 'win32' ? 'helm.exe' : 'helm', options.searchPath ?? process.env.PATH ?? '');
  if (onPath) {
    const found = await helmVersion(onPath).catch((error: unknown) => {
      if (!(error instanceof ToolError)) throw error;
      log(`helm on PATH (${onPath}) did not answer 'helm version': ${error.reason}`);
      return undefined;
    });
    if (found === wanted) {
      log(`helm ${wanted}: using ${onPath} from PATH`);
      return { path: onPath, version: wanted, source: 'path' };
    }
    if (found) log(`helm on PATH (${onPath}) is ${found}, not ${wanted}: using the release instead`);
  } else {
    log(`helm is not on PATH: using the ${wanted} release`);
  }

  const release = helmToolRelease(options.version, {
    ...(options.downloadBaseUrl !== undefined ? { baseUrl: options.downloadBaseUrl } : {}),
    platform,
    ...(options.arch ? { arch: options.arch } : {}),
  });
  const installed = await installTool(release, {
    toolCache: options.toolCache,
    tempDir: options.tempDir,
    log,
    download: {
      ...(options.downloadTimeoutMs !== undefined ? { timeoutMs: options.downloadTimeoutMs } : {}),
      ...(options.retryDelayMs !== undefined ? { retryDelayMs: options.retryDelayMs } : {}),
    },
  });
  return { path: installed.path, version: wanted, source: installed.source };
}

/** What `helm version` says this binary is, e.g. `v3.19.0`. */
export async function helmVersion(helm: string): Promise<string> {
  const { stdout } = await runTool([helm, 'version', '--template', '{{.Version}}'], { timeoutMs: VERSION_TIMEOUT_MS, maxStdoutBytes: 4096 });
  return stdout.trim();
}

export interface HelmRenderInput {
  /** The helm binary (resolveHelm's `path`). */
  helm: string;
  /** A chart directory (relative ones are resolved from the working directory) or an `oci://` reference. */
  chart: string;
  /** helm's `.Release.Name`: a DNS-1123 name of at most 53 characters. */
  releaseName: string;
  /** `.Release.Namespace`; '' renders for `default`. */
  namespace: string;
  /** Values files in layering order (base first), each an existing file. */
  valuesFiles: readonly string[];
  /** `path.to.key=value` lines, applied after the values files in order. */
  set: readonly string[];
  /**
   * Values stay strings (`--set-string`), as the builtin engine keeps them;
   * false reads each value as YAML (`true`, `3`, `[a, b]`) and passes it typed.
   */
  setStrings?: boolean;
  /** `Capabilities.KubeVersion`, e.g. `1.32`; '' leaves helm's default. */
  kubeVersion: string;
  timeoutMs: number;
}

export interface HelmRenderResult {
  /** The chart's name: Chart.yaml's `name`, or the last path segment of an oci:// reference. */
  chartName: string;
  /** The rendered documents in helm's order, empty ones dropped. */
  documents: HelmDocument[];
}

const RELEASE_NAME = /^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$/;
const KUBE_VERSION = /^v?[0-9]+\.[0-9]+(?:\.[0-9]+)?$/;
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

/**
 * The argv of `helm template` for `input` (the binary first). Every flag
 * carries its value after `=`, so no value can be taken for a flag, and the
 * two positional arguments are a validated name and an absolute path or an
 * oci:// reference.
 *
 * `--include-crds`: CRDs are part of the desired state Argo CD applies.
 * `--skip-tests`: test hooks (`helm.sh/hook: test`) are for `helm test`
 * against a live release; in a GitOps repo Argo CD would create them as
 * ordinary Pods. Other hooks are kept: Argo CD maps helm's install and
 * upgrade hooks onto its PreSync/PostSync phases.
 * No `--output-dir`: render-app writes the layout itself.
 */
export function helmTemplateArgv(input: HelmRenderInput, chart: HelmChartRef): string[] {
  if (!RELEASE_NAME.test(input.releaseName) || input.releaseName.length > 53) {
    throw new InputError(`helm release name '${input.releaseName}' must be lower-case letters, digits, '-' and '.', at most 53 characters`);
  }
  if (input.kubeVersion && !KUBE_VERSION.test(input.kubeVersion)) {
    throw new InputError(`input 'kube-version' must be a Kubernetes version such as 1.32 or 1.32.4 (got '${input.kubeVersion}')`);
  }
  const values = input.valuesFiles.map((file) => {
    const path = resolve(file);
    if (!statSync(path, { throwIfNoEntry: false })?.isFile()) throw new InputError(`values file ${file} does not exist or is not a file`);
    return `--values=${path}`;
  });
  return [
    input.helm,
    'template',
    input.releaseName,
    chart.chart,
    `--namespace=${input.namespace || 'default'}`,
    ...(input.kubeVersion ? [`--kube-version=${input.kubeVersion}`] : []),
    ...(chart.kind === 'oci' && chart.version ? [`--version=${chart.version}`] : []),
    ...values,
    ...helmSetArgs(input.set, { strings: input.setStrings ?? true }),
    '--include-crds',
    '--skip-tests',
  ];
}

/** `helm template` of one chart, parsed into documents. A failure is a ToolError carrying helm's stderr. */
export async function renderHelm(input: HelmRenderInput): Promise<HelmRenderResult> {
  const chart = resolveHelmChart(input.chart);
  const argv = helmTemplateArgv(input, chart);
  const { stdout } = await runTool(argv, { timeoutMs: input.timeoutMs, maxStdoutBytes: MAX_OUTPUT_BYTES });
  return { chartName: chart.name, documents: parseHelmTemplateOutput(stdout, `helm template output of ${input.chart}`) };
}
