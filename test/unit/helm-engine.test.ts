import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { InputError } from '#core/errors/errors.js';
import { parseOciChartRef, resolveHelmChart } from '#core/render/engines/helm-chart-ref.js';
import { helmRelease, helmTemplateArgv, helmToolRelease, type HelmRenderInput } from '#core/render/engines/helm-engine.js';
import { parseHelmTemplateOutput } from '#core/render/engines/helm-output.js';
import { helmSetArgs } from '#core/render/engines/helm-set-args.js';
import { sha256ForFile } from '#core/tools/checksum.js';
import { isRedirectAllowed } from '#core/tools/download.js';
import { releasePlatform } from '#core/tools/release-platform.js';
import { loadValues } from '#core/render/values-files.js';
import { YamlError } from '#core/yaml/yaml-error.js';

function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

describe('helm releases', () => {
  test.each([
    ['3.19.0', '3.19.0'],
    ['v3.19.0', '3.19.0'],
    [' 3.19.0 ', '3.19.0'],
    ['4.0.0-rc.1', '4.0.0-rc.1'],
  ])('helm-version %j is release %s', (input, release) => {
    expect(helmRelease(input)).toBe(release);
  });

  test.each(['3.19', 'latest', '', '3.19.0/../../x', '3.19.0 4.0.0', 'vv3.19.0'])('helm-version %j is refused', (input) => {
    expect(() => helmRelease(input)).toThrow(InputError);
    expect(() => helmRelease(input)).toThrow(/input 'helm-version' must be a helm release such as 3.19.0/);
  });

  test("Node's platform and arch become get.helm.sh's names", () => {
    expect(releasePlatform('helm', 'linux', 'x64')).toEqual({ os: 'linux', arch: 'amd64' });
    expect(releasePlatform('helm', 'linux', 'arm64')).toEqual({ os: 'linux', arch: 'arm64' });
    expect(releasePlatform('helm', 'darwin', 'arm64')).toEqual({ os: 'darwin', arch: 'arm64' });
    expect(releasePlatform('helm', 'linux', 'ppc64')).toEqual({ os: 'linux', arch: 'ppc64le' });
    expect(() => releasePlatform('helm', 'aix', 'ppc64')).toThrow(/no helm release for aix\/ppc64/);
    expect(() => releasePlatform('helm', 'linux', 'mips')).toThrow(/no helm release for linux\/mips/);
  });

  test('the release archive, its checksum and the executable inside follow the official naming', () => {
    expect(helmToolRelease('v3.19.0', { platform: 'linux', arch: 'x64' })).toEqual({
      tool: 'helm',
      version: '3.19.0',
      arch: 'x64',
      archiveUrl: 'https://get.helm.sh/helm-v3.19.0-linux-amd64.tar.gz',
      checksumUrl: 'https://get.helm.sh/helm-v3.19.0-linux-amd64.tar.gz.sha256sum',
      executable: 'linux-amd64/helm',
      maxBytes: 200 * 1024 * 1024,
    });
    const mac = helmToolRelease('3.19.0', { platform: 'darwin', arch: 'arm64', baseUrl: 'http://127.0.0.1:8080/helm/' });
    expect(mac.archiveUrl).toBe('http://127.0.0.1:8080/helm/helm-v3.19.0-darwin-arm64.tar.gz');
    expect(mac.executable).toBe('darwin-arm64/helm');
  });

  test("helm's .sha256sum format and bare digests are read; other files' lines are ignored", () => {
    const hex = 'a'.repeat(64);
    const other = 'b'.repeat(64);
    const name = 'helm-v3.19.0-linux-amd64.tar.gz';
    expect(sha256ForFile(`${hex}  ${name}\n`, name, 'sums')).toBe(hex);
    expect(sha256ForFile(`${other}  helm-v3.19.0-linux-arm64.tar.gz\n${hex.toUpperCase()} *${name}\n`, name, 'sums')).toBe(hex);
    expect(sha256ForFile(`${hex}\n`, name, 'sums')).toBe(hex);
    expect(() => sha256ForFile(`${other}  helm-v3.19.0-linux-arm64.tar.gz\n`, name, 'sums')).toThrow(`read sums: it holds no SHA-256 for ${name}`);
    expect(() => sha256ForFile('<html>not found</html>', name, 'sums')).toThrow(/holds no SHA-256/);
  });

  test('redirects are followed https→https or within one origin only', () => {
    const u = (s: string) => new URL(s);
    expect(isRedirectAllowed(u('https://get.helm.sh/a'), u('https://cdn.example.net/a'))).toBe(true);
    expect(isRedirectAllowed(u('http://127.0.0.1:1/a'), u('http://127.0.0.1:1/b'))).toBe(true);
    expect(isRedirectAllowed(u('https://get.helm.sh/a'), u('http://get.helm.sh/a'))).toBe(false);
    expect(isRedirectAllowed(u('http://127.0.0.1:1/a'), u('http://127.0.0.1:2/a'))).toBe(false);
    expect(isRedirectAllowed(u('http://mirror.internal/a'), u('https://cdn.example.net/a'))).toBe(false);
    expect(isRedirectAllowed(u('https://get.helm.sh/a'), u('file:///etc/passwd'))).toBe(false);
  });
});

describe('chart references', () => {
  test.each([
    ['oci://ghcr.io/org/charts/app:1.2.3', { kind: 'oci', chart: 'oci://ghcr.io/org/charts/app', name: 'app', version: '1.2.3' }],
    ['oci://ghcr.io/org/charts/app', { kind: 'oci', chart: 'oci://ghcr.io/org/charts/app', name: 'app' }],
    ['oci://localhost:5000/app:0.1.0+build.7', { kind: 'oci', chart: 'oci://localhost:5000/app', name: 'app', version: '0.1.0+build.7' }],
    ['oci://localhost:5000/charts/app', { kind: 'oci', chart: 'oci://localhost:5000/charts/app', name: 'app' }],
    [`oci://ghcr.io/org/app@sha256:${'c'.repeat(64)}`, { kind: 'oci', chart: `oci://ghcr.io/org/app@sha256:${'c'.repeat(64)}`, name: 'app' }],
  ])('%s', (ref, expected) => {
    expect(parseOciChartRef(ref)).toEqual(expected);
  });

  test.each([
    ['oci://user:secret@ghcr.io/org/app:1.0.0', /credentials do not belong in the reference/],
    ['oci://ghcr.io', /expected oci:\/\/<registry>\/<path>\/<chart>/],
    ['oci://ghcr.io/org/', /expected oci:\/\//],
    ['oci://ghcr.io/org/app:1.0 --set x=y', /cannot contain spaces/],
    ['oci://ghcr.io/org/..:1.0.0', /chart name '\.\.'/],
    ['oci://ghcr.io/org/app:-x', /'-x' is not a chart version/],
  ])('%s is refused', (ref, message) => {
    expect(() => parseOciChartRef(ref)).toThrow(message);
  });

  test("a chart directory's name comes from its Chart.yaml, and the directory is made absolute", () => {
    const ws = tempDir('helm-chart-');
    mkdirSync(join(ws, 'deploy', 'chart'), { recursive: true });
    writeFileSync(join(ws, 'deploy', 'chart', 'Chart.yaml'), 'apiVersion: v2\nname: verity-api\nversion: 0.1.0\n');
    expect(resolveHelmChart('deploy/chart', ws)).toEqual({ kind: 'dir', chart: join(ws, 'deploy', 'chart'), name: 'verity-api' });
  });

  test('a Chart.yaml without a usable name is an InputError naming the file', () => {
    const ws = tempDir('helm-chart-');
    writeFileSync(join(ws, 'Chart.yaml'), 'apiVersion: v2\nversion: 0.1.0\n');
    expect(() => resolveHelmChart('.', ws)).toThrow("./Chart.yaml: 'name' is missing or not a string");
    writeFileSync(join(ws, 'Chart.yaml'), 'apiVersion: v2\nname: ../../etc\n');
    expect(() => resolveHelmChart('.', ws)).toThrow(/chart name '\.\.\/\.\.\/etc' may only hold/);
    writeFileSync(join(ws, 'Chart.yaml'), 'name: a\nname: b\n');
    expect(() => resolveHelmChart('.', ws)).toThrow(YamlError);
    expect(() => resolveHelmChart('missing', ws)).toThrow("input 'chart': missing has no Chart.yaml");
  });
});

describe('set lines as helm flags', () => {
  /**
   * helm's documented reading of a --set text (helm docs, "The Format and
   * Limitations of --set"): `,` separates assignments, `.` nests keys,
   * `[n]` indexes lists, `{a,b}` is a list, `\` escapes the next character.
   * Reads one assignment back into the path segments and value helm sees.
   */
  function helmReads(flag: string): { path: (string | number)[]; value: unknown } {
    const text = flag.replace(/^--set-(?:string|json)=/, '');
    const path: (string | number)[] = [];
    let i = 0;
    let key = '';
    for (; i < text.length; i++) {
      const c = text[i] as string;
      if (c === '\\') key += text[++i];
      else if (c === '.') {
        path.push(key);
        key = '';
      }
      else if (c === '[') {
        if (key) path.push(key);
        key = '';
        const close = text.indexOf(']', i);
        path.push(Number(text.slice(i + 1, close)));
        i = close;
        if (text[i + 1] === '.') i++;
      } else if (c === ',') throw new Error(`helm would read a second assignment at column ${i + 1} of ${text}`);
      else if (c === '=') break;
      else key += c;
    }
    if (key) path.push(key);
    const raw = text.slice(i + 1);
    if (flag.startsWith('--set-json=')) return { path, value: JSON.parse(raw) };
    if (raw.startsWith('{')) throw new Error(`helm would read ${raw} as a list`);
    let value = '';
    for (let j = 0; j < raw.length; j++) {
      const c = raw[j] as string;
      if (c === '\\') value += raw[++j];
      else if (c === ',') throw new Error(`helm would read a second assignment in ${raw}`);
      else value += c;
    }
    return { path, value };
  }

  test.each([
    ['image.tag=1.4.0', ['image', 'tag'], '1.4.0'],
    ['env.ALLOWED=a,b,c', ['env', 'ALLOWED'], 'a,b,c'],
    ['args={a,b}', ['args'], '{a,b}'],
    ['path=C:\\temp\\x', ['path'], 'C:\\temp\\x'],
    ['feature.enabled=no', ['feature', 'enabled'], 'no'],
    ['empty=', ['empty'], ''],
    ['url=https://example.com/?a=1&b=2', ['url'], 'https://example.com/?a=1&b=2'],
    ['nodeSelector.kubernetes\\.io/os=linux', ['nodeSelector', 'kubernetes.io/os'], 'linux'],
    ['containers[0].image=nginx', ['containers', 0, 'image'], 'nginx'],
    ['matrix[1][2]=x', ['matrix', 1, 2], 'x'],
    ['annotations.a\\,b=c', ['annotations', 'a,b'], 'c'],
  ])('%s reaches helm as the same path and string', (line, path, value) => {
    const [flag] = helmSetArgs([line], { strings: true });
    expect(flag?.startsWith('--set-string=')).toBe(true);
    expect(helmReads(flag as string)).toEqual({ path, value });
  });

  test('the builtin engine reads the same lines to the same values', () => {
    const lines = ['env.ALLOWED=a,b,c', 'nodeSelector.kubernetes\\.io/os=linux', 'containers[0].image=nginx', 'feature.enabled=no'];
    const { values } = loadValues([], lines, tempDir('values-'));
    for (const flag of helmSetArgs(lines, { strings: true })) {
      const { path, value } = helmReads(flag);
      const found = path.reduce<unknown>((node, segment) => (node as Record<string | number, unknown>)[segment], values);
      expect(found).toBe(value);
    }
  });

  test('values written as YAML are passed typed, as JSON, when strings is false', () => {
    expect(helmSetArgs(['replicas=3', 'debug=true', 'ports=[80, 443]', 'labels={tier: web}', 'mode=0644', 'name=web,api', 'gone=null'], { strings: false })).toEqual([
      '--set-json=replicas=3',
      '--set-json=debug=true',
      '--set-json=ports=[80,443]',
      '--set-json=labels={"tier":"web"}',
      '--set-json=mode=644',
      '--set-json=name="web,api"',
      '--set-json=gone=null',
    ]);
    expect(helmReads('--set-json=labels={"tier":"web"}')).toEqual({ path: ['labels'], value: { tier: 'web' } });
  });

  test('malformed lines and paths are the same InputErrors as for the builtin engine', () => {
    expect(() => helmSetArgs(['novalue'], { strings: true })).toThrow("input 'set': each line must be path.to.key=value (got 'novalue')");
    expect(() => helmSetArgs(['a..b=1'], { strings: true })).toThrow(InputError);
    expect(() => helmSetArgs(['a[x]=1'], { strings: true })).toThrow(/list index must be a number/);
    expect(() => helmSetArgs(['x=.inf'], { strings: false })).toThrow(/no JSON form/);
    expect(() => helmSetArgs(['x=[a'], { strings: false })).toThrow(/is not a valid YAML value/);
  });
});

describe('helm template argv', () => {
  function input(overrides: Partial<HelmRenderInput> = {}): HelmRenderInput {
    return {
      helm: '/opt/hostedtoolcache/helm/3.19.0/x64/linux-amd64/helm',
      chart: '/ws/chart',
      releaseName: 'verity-api',
      namespace: 'verity',
      valuesFiles: [],
      set: [],
      kubeVersion: '1.32',
      timeoutMs: 90_000,
      ...overrides,
    };
  }
  const dirChart = { kind: 'dir', chart: '/ws/chart', name: 'verity-api' } as const;

  test('release, chart, namespace, kube version, values in order, set lines, CRDs in and tests out; never --output-dir', () => {
    const ws = tempDir('helm-argv-');
    writeFileSync(join(ws, 'base.yaml'), 'a: 1\n');
    writeFileSync(join(ws, 'prod.yaml'), 'a: 2\n');
    const argv = helmTemplateArgv(input({ valuesFiles: [join(ws, 'base.yaml'), join(ws, 'prod.yaml')], set: ['image.tag=1.4.0'] }), dirChart);
    expect(argv).toEqual([
      '/opt/hostedtoolcache/helm/3.19.0/x64/linux-amd64/helm',
      'template',
      'verity-api',
      '/ws/chart',
      '--namespace=verity',
      '--kube-version=1.32',
      `--values=${join(ws, 'base.yaml')}`,
      `--values=${join(ws, 'prod.yaml')}`,
      '--set-string=image.tag=1.4.0',
      '--include-crds',
      '--skip-tests',
    ]);
    expect(argv.some((a) => a.startsWith('--output-dir'))).toBe(false);
  });

  test('no namespace renders for default (never the runner kubeconfig’s); no kube version leaves helm’s', () => {
    expect(helmTemplateArgv(input({ namespace: '', kubeVersion: '' }), dirChart)).toEqual([
      input().helm,
      'template',
      'verity-api',
      '/ws/chart',
      '--namespace=default',
      '--include-crds',
      '--skip-tests',
    ]);
  });

  test('an oci:// chart passes --version only when its reference carries one', () => {
    const tagged = helmTemplateArgv(input(), parseOciChartRef('oci://ghcr.io/org/charts/app:1.2.3'));
    expect(tagged.slice(3, 7)).toEqual(['oci://ghcr.io/org/charts/app', '--namespace=verity', '--kube-version=1.32', '--version=1.2.3']);
    const untagged = helmTemplateArgv(input(), parseOciChartRef('oci://ghcr.io/org/charts/app'));
    expect(untagged.some((a) => a.startsWith('--version'))).toBe(false);
  });

  test('release names, kube versions and values files are checked before helm runs', () => {
    expect(() => helmTemplateArgv(input({ releaseName: '--dry-run' }), dirChart)).toThrow(/release name '--dry-run'/);
    expect(() => helmTemplateArgv(input({ releaseName: 'a'.repeat(54) }), dirChart)).toThrow(/at most 53 characters/);
    expect(() => helmTemplateArgv(input({ kubeVersion: 'latest' }), dirChart)).toThrow("input 'kube-version' must be a Kubernetes version such as 1.32 or 1.32.4 (got 'latest')");
    expect(helmTemplateArgv(input({ kubeVersion: 'v1.32.4' }), dirChart)).toContain('--kube-version=v1.32.4');
    expect(() => helmTemplateArgv(input({ valuesFiles: ['/nonexistent/values.yaml'] }), dirChart)).toThrow('values file /nonexistent/values.yaml does not exist or is not a file');
  });
});

describe("helm template's output", () => {
  // The shape helm documents for `helm template`: `---`, `# Source: <chart>/<path>`, the manifest.
  const output = `---
# Source: app/crds/crontabs.yaml
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs.stable.example.com
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: crontabs2.stable.example.com
---
# Source: app/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: app
---
# Source: app/templates/disabled.yaml
# nothing to render: the feature is off
---
# Source: app/templates/two-in-one.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: first
data:
  script: |
    echo "--- not a separator inside a block scalar"
---
# Source: app/templates/two-in-one.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: second
data:
  mode: "0644"
  flag: "no"
---
# Source: app/charts/redis/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: app-redis
---
# Source: app/templates/hooks/migrate.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: app-migrate
  annotations:
    "helm.sh/hook": pre-upgrade
`;

  test('documents keep their template as source, empty ones are dropped, hooks are kept', () => {
    const docs = parseHelmTemplateOutput(output, 'helm template output of ./chart');
    expect(docs.map((d) => [d.source, (d.content as { metadata: { name: string } }).metadata.name])).toEqual([
      ['app/crds/crontabs.yaml', 'crontabs.stable.example.com'],
      ['app/crds/crontabs.yaml', 'crontabs2.stable.example.com'],
      ['app/templates/serviceaccount.yaml', 'app'],
      ['app/templates/two-in-one.yaml', 'first'],
      ['app/templates/two-in-one.yaml', 'second'],
      ['app/charts/redis/templates/service.yaml', 'app-redis'],
      ['app/templates/hooks/migrate.yaml', 'app-migrate'],
    ]);
    const second = docs[4]?.content as { data: Record<string, unknown> };
    expect(second.data).toEqual({ mode: '0644', flag: 'no' });
    const first = docs[3]?.content as { data: Record<string, string> };
    expect(first.data.script).toContain('--- not a separator');
  });

  test('empty output (a chart that renders nothing) is no documents', () => {
    expect(parseHelmTemplateOutput('', 'x')).toEqual([]);
    expect(parseHelmTemplateOutput('\n', 'x')).toEqual([]);
    expect(parseHelmTemplateOutput('---\n# Source: app/templates/off.yaml\n\n---\n', 'x')).toEqual([]);
  });

  test('a YAML error names the template it came from', () => {
    const broken = `---
# Source: app/templates/ok.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: ok}
---
# Source: app/templates/broken.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: broken
  name: again
`;
    expect(() => parseHelmTemplateOutput(broken, 'helm template output of ./chart')).toThrow(YamlError);
    expect(() => parseHelmTemplateOutput(broken, 'helm template output of ./chart')).toThrow(/helm template output of \.\/chart, app\/templates\/broken\.yaml.*duplicate key 'name'/s);
  });
});
