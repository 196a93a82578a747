import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../errors/errors.js';
import { listProblems } from '../errors/problem-list.js';
import { withPrivateTempDir } from '../exec/private-temp-dir.js';
import { assertDigest, assertImageName, assertImageTag } from '../registry/reference.js';
import { parseStrictSemver } from '../version/semver-tag.js';
import { dumpYaml } from '../yaml/dump-yaml.js';
import { loadYamlDocuments } from '../yaml/load-yaml.js';
import { assertDnsLabel } from './dns-name.js';
import { renderHelm, resolveHelm } from './engines/helm-engine.js';
import { isKustomization, renderKustomize } from './engines/kustomize-engine.js';
import { asK8sObject, compareObjects, fileNames, MAX_OBJECT_BYTES, resourceId, type K8sObject, type ResourceId } from './k8s-object.js';
import { formatObjectProblem, parseKubeVersion, validateObject, type KubeVersion } from './kube-schema/index.js';
import { renderMonochart } from './monochart/index.js';
import { withProvenance } from './provenance.js';
import { writeRenderedTree, type RenderedFile } from './rendered-tree.js';
import { existingValuesFiles, loadValues } from './values-files.js';

export type Engine = 'builtin' | 'helm' | 'kustomize';

export interface RenderOptions {
  app: string;
  environment: string;
  values: readonly string[];
  chart: string;
  engine: 'auto' | Engine;
  version: string;
  image: string;
  imageTag: string;
  imageDigest: string;
  namespace: string;
  set: readonly string[];
  /** Where `<app>--<environment>/` goes. */
  output: string;
  /** The cluster's Kubernetes version: helm's capabilities, and which API versions objects may use. */
  kubeVersion: string;
  /** Check every object against the Kubernetes API before writing anything. */
  validate: boolean;
  /** The helm release to render with (PATH's helm when it is that version, else downloaded and verified). */
  helmVersion: string;
  /** Where downloaded tools are cached (RUNNER_TOOL_CACHE). */
  toolCache: string;
  timeoutSeconds: number;
  /** Relative values files and chart directories are resolved from here (the checkout). */
  workspace: string;
  tempDir: string;
  sourceRepository: string;
  sourceCommit: string;
}

export interface RenderResult {
  path: string;
  /** Paths below `output`, e.g. `verity-api--staging/monochart/templates/deployment.yaml`. */
  files: string[];
  resources: ResourceId[];
  digest: string;
  /** The image reference written into the workload; '' when none was given. */
  image: string;
  engine: Engine;
}

const BUILTIN_CHARTS = ['builtin:monochart'];

/** Which engine renders `chart`, and why (for the log). */
export function chooseEngine(chart: string, requested: 'auto' | Engine, workspace: string): Engine {
  const isBuiltin = chart.startsWith('builtin:');
  if (isBuiltin && !BUILTIN_CHARTS.includes(chart)) {
    throw new InputError(`input 'chart': unknown builtin chart '${chart}' (available: ${BUILTIN_CHARTS.join(', ')})`);
  }
  const dir = isBuiltin || chart.startsWith('oci://') ? '' : resolve(workspace, chart);
  if (dir && !statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError(`input 'chart': ${chart} is not a directory, an oci:// reference or a builtin: chart`);
  }
  const detected: Engine | undefined = isBuiltin
    ? 'builtin'
    : chart.startsWith('oci://') || existsSync(join(dir, 'Chart.yaml'))
      ? 'helm'
      : isKustomization(dir)
        ? 'kustomize'
        : undefined;
  if (requested === 'auto') {
    if (!detected) throw new InputError(`input 'chart': ${chart} has neither Chart.yaml (helm) nor kustomization.yaml (kustomize)`);
    return detected;
  }
  if (detected && detected !== requested) {
    throw new InputError(`input 'engine' is '${requested}' but input 'chart' ${chart} is a ${detected} chart`);
  }
  return requested;
}

function imageOf(options: RenderOptions): { repository: string; tag?: string; digest?: string } | undefined {
  if (!options.image) {
    if (options.imageTag || options.imageDigest) throw new InputError("inputs 'image-tag' and 'image-digest' need input 'image'");
    return undefined;
  }
  assertImageName(options.image, "input 'image'");
  if (options.imageTag) assertImageTag(options.imageTag, "input 'image-tag'");
  if (options.imageDigest) assertDigest(options.imageDigest, "input 'image-digest'");
  return {
    repository: options.image,
    ...(options.imageTag ? { tag: options.imageTag } : {}),
    ...(options.imageDigest ? { digest: options.imageDigest } : {}),
  };
}

/**
 * `image.repository`, `image.tag` and `image.digest`, the keys most charts
 * (and `helm create`'s scaffold) read. With a digest, the tag becomes
 * `<tag>@<digest>` so a chart that writes `repository:tag` still pins it.
 */
function helmImageValues(image: { repository: string; tag?: string; digest?: string } | undefined): string[] {
  if (!image) return [];
  const tag = image.tag && image.digest ? `${image.tag}@${image.digest}` : image.tag;
  return [`image.repository=${image.repository}`, ...(tag ? [`image.tag=${tag}`] : []), ...(image.digest ? [`image.digest=${image.digest}`] : [])];
}

/** Every object the API server would refuse, all at once, before anything is written. */
function checkObjects(objects: readonly K8sObject[], kubeVersion: KubeVersion, log: (line: string) => void): void {
  const problems: string[] = [];
  for (const o of objects) {
    const result = validateObject(o, kubeVersion);
    if (result.skipped) log(`${o.kind} ${o.metadata.name}: ${result.skipped}, not validated`);
    problems.push(...result.problems.map((p) => formatObjectProblem(o, p)));
  }
  if (problems.length === 0) return;
  throw new InputError(
    `${problems.length === 1 ? 'an object' : `${problems.length} problems in objects`} Kubernetes ${kubeVersion.text} would refuse:\n${listProblems(problems)}\n(set 'validate: false' only to render for another tool's checks)`,
  );
}

function imageText(image: { repository: string; tag?: string; digest?: string } | undefined): string {
  if (!image) return '';
  return image.digest ? `${image.repository}@${image.digest}` : image.tag ? `${image.repository}:${image.tag}` : image.repository;
}

/**
 * Renders one app in one environment into `<output>/<app>--<environment>/`:
 * validated names, the chosen engine, common labels and provenance on every
 * object, one deterministic file per object, a fresh directory every time.
 */
export async function renderApp(options: RenderOptions, log: (line: string) => void): Promise<RenderResult> {
  assertDnsLabel(options.app, "input 'app'");
  assertDnsLabel(options.environment, "input 'environment'");
  if (options.namespace) assertDnsLabel(options.namespace, "input 'namespace'");
  const engine = chooseEngine(options.chart, options.engine, options.workspace);
  const image = imageOf(options);
  const kubeVersion = parseKubeVersion(options.kubeVersion);
  const version = options.version || (image?.tag && parseStrictSemver(image.tag.replace(/^v/, '')) ? image.tag.replace(/^v/, '') : '');
  const name = `${options.app}--${options.environment}`;
  const timeoutMs = options.timeoutSeconds * 1000;

  let chartName: string;
  let objects: K8sObject[];
  if (engine === 'builtin') {
    const { values, used } = loadValues(options.values, options.set, options.workspace);
    log(`${name}: builtin monochart with ${used.length ? used.join(', ') : 'default values'}`);
    chartName = 'monochart';
    objects = renderMonochart(values, {
      app: options.app,
      environment: options.environment,
      ...(options.namespace ? { namespace: options.namespace } : {}),
      ...(image ? { image } : {}),
      ...(version ? { version } : {}),
    }) as K8sObject[];
  } else if (engine === 'kustomize') {
    if (options.values.length || options.set.length) throw new InputError("inputs 'values' and 'set' do not apply to kustomize: put the overlay's settings in its kustomization");
    const out = await withPrivateTempDir(options.tempDir, (tmp) =>
      renderKustomize({ dir: resolve(options.workspace, options.chart), namespace: options.namespace, ...(image ? { image } : {}), timeoutMs }, tmp),
    );
    log(`${name}: kubectl kustomize ${options.chart}`);
    chartName = out.chartName;
    objects = loadYamlDocuments(out.yaml, { file: `kustomize output of ${options.chart}` }, { maxBytes: 64 * 1024 * 1024 }).map((d) => asK8sObject(d, `kustomize output of ${options.chart}`));
  } else {
    const helm = await resolveHelm({ version: options.helmVersion, toolCache: options.toolCache, tempDir: options.tempDir, log });
    const out = await renderHelm({
      helm: helm.path,
      chart: options.chart.startsWith('oci://') ? options.chart : resolve(options.workspace, options.chart),
      releaseName: options.app,
      namespace: options.namespace,
      valuesFiles: existingValuesFiles(options.values, options.workspace).map((f) => f.path),
      // The image goes in the way most charts read it; the user's own `set` lines come after and win.
      set: [...helmImageValues(image), ...options.set],
      kubeVersion: kubeVersion.text,
      timeoutMs,
    });
    log(`${name}: helm template ${options.chart} with helm ${helm.version} (from ${helm.source})`);
    chartName = out.chartName;
    objects = out.documents.map((d) => asK8sObject(d.content, `helm template output of ${options.chart}, ${d.source}`));
  }

  const provenance = { app: options.app, environment: options.environment, version, sourceRepository: options.sourceRepository, sourceCommit: options.sourceCommit };
  const finished = objects.map((o) => withProvenance(o, provenance)).sort(compareObjects);
  if (options.validate) checkObjects(finished, kubeVersion, (line) => log(`${name}: ${line}`));
  const names = fileNames(finished, options.app);
  const files: RenderedFile[] = finished.map((o, i) => {
    const content = dumpYaml(o);
    if (Buffer.byteLength(content) > MAX_OBJECT_BYTES) {
      throw new InputError(`${o.kind} ${o.metadata.name} renders to ${Buffer.byteLength(content)} bytes, over the ${MAX_OBJECT_BYTES / 1024} KiB limit for one object: move large data out of values`);
    }
    return { path: `${chartName}/templates/${names[i]}`, content };
  });
  const tree = writeRenderedTree(options.output, name, files);
  log(`${name}: ${files.length} objects written to ${tree.dir} (${tree.digest})`);
  return {
    path: tree.dir,
    files: tree.files.map((f) => `${name}/${f}`),
    resources: finished.map(resourceId),
    digest: tree.digest,
    image: imageText(image),
    engine,
  };
}
