import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InputError } from '../../errors/errors.js';
import { loadYaml } from '../../yaml/load-yaml.js';

/** What `helm template` is given as its chart, and the name the rendered layout uses for it. */
export type HelmChartRef =
  /** A chart directory; `chart` is absolute, so it can never be read as an option. */
  | { kind: 'dir'; chart: string; name: string }
  /** An OCI chart: `chart` without its tag, which travels as `--version` when there is one. */
  | { kind: 'oci'; chart: string; name: string; version?: string };

/**
 * Chart names become a directory in the GitOps layout
 * (`<app>--<env>/<chart>/templates/`), so only names that cannot steer a
 * write elsewhere are accepted; helm's own rule is the same character set.
 */
const CHART_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;
/** An OCI tag (helm stores a semver `+` as `_`, and accepts either). */
const OCI_TAG = /^[A-Za-z0-9_][A-Za-z0-9._+-]{0,127}$/;
const MAX_CHART_YAML_BYTES = 1024 * 1024;

function assertChartName(name: string, where: string): void {
  if (!CHART_NAME.test(name)) {
    throw new InputError(`${where}: chart name '${name}' may only hold letters, digits, '.', '_' and '-', and must start and end with a letter or digit`);
  }
}

/**
 * `oci://registry/path/name[:tag][@digest]`. A tag moves to `--version`
 * (`oci://ghcr.io/org/charts/app:1.2.3` → `oci://ghcr.io/org/charts/app` +
 * `--version 1.2.3`); a reference pinned by digest is handed to helm as it
 * is. Credentials in the reference are refused: they would end up in argv.
 */
export function parseOciChartRef(ref: string): Extract<HelmChartRef, { kind: 'oci' }> {
  const where = `input 'chart' ${ref}`;
  if (!ref.startsWith('oci://')) throw new InputError(`${where}: not an oci:// reference`);
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(ref)) throw new InputError(`${where}: an oci:// reference cannot contain spaces or control characters`);
  const rest = ref.slice('oci://'.length);
  const slash = rest.indexOf('/');
  const host = slash === -1 ? rest : rest.slice(0, slash);
  if (host.includes('@')) throw new InputError(`${where}: credentials do not belong in the reference; log in to the registry with 'helm registry login' in an earlier step`);
  const lastSlash = rest.lastIndexOf('/');
  if (slash <= 0 || lastSlash === rest.length - 1) throw new InputError(`${where}: expected oci://<registry>/<path>/<chart>[:<version>]`);
  const last = rest.slice(lastSlash + 1);
  const at = last.indexOf('@');
  if (at !== -1) {
    const name = last.slice(0, at).split(':')[0] as string;
    assertChartName(name, where);
    if (!/^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/.test(last.slice(at + 1))) throw new InputError(`${where}: '${last.slice(at + 1)}' is not a digest`);
    return { kind: 'oci', chart: ref, name };
  }
  const colon = last.indexOf(':');
  const name = colon === -1 ? last : last.slice(0, colon);
  assertChartName(name, where);
  if (colon === -1) return { kind: 'oci', chart: ref, name };
  const version = last.slice(colon + 1);
  if (!OCI_TAG.test(version)) throw new InputError(`${where}: '${version}' is not a chart version`);
  return { kind: 'oci', chart: `oci://${rest.slice(0, lastSlash + 1)}${name}`, name, version };
}

/** A chart directory (resolved from `base`) or an oci:// reference, with the chart's name. */
export function resolveHelmChart(chart: string, base: string = process.cwd()): HelmChartRef {
  if (chart.startsWith('oci://')) return parseOciChartRef(chart);
  const dir = resolve(base, chart);
  const file = join(dir, 'Chart.yaml');
  const stat = statSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new InputError(`input 'chart': ${chart} has no Chart.yaml`);
  if (stat.size > MAX_CHART_YAML_BYTES) throw new InputError(`${chart}/Chart.yaml is ${stat.size} bytes, over the ${MAX_CHART_YAML_BYTES} limit`);
  const metadata = loadYaml(readFileSync(file, 'utf8'), { file: `${chart}/Chart.yaml` }, { maxBytes: MAX_CHART_YAML_BYTES });
  const name = metadata && typeof metadata === 'object' && !Array.isArray(metadata) ? (metadata as Record<string, unknown>).name : undefined;
  if (typeof name !== 'string' || !name) throw new InputError(`${chart}/Chart.yaml: 'name' is missing or not a string`);
  assertChartName(name, `${chart}/Chart.yaml`);
  return { kind: 'dir', chart: dir, name };
}
