#!/usr/bin/env node
// Writes packages/core/src/render/kube-schema/kube-schema.json: the structure of every built-in
// Kubernetes kind, taken from the models that @kubernetes/client-node (a devDependency, pinned
// exactly) is generated from. Only the JSON is bundled; the client itself never is.
//
//   node scripts/generate-kube-schema.mjs           rewrite the JSON
//   node scripts/generate-kube-schema.mjs --check   exit 1 when the committed JSON is stale
//   --file <path>                                   another target (tests use it)
//
// Where the client does not say enough, this script adds the one thing it must know by hand:
// which string fields hold resource quantities (the client types them as plain strings, the API
// server also takes numbers). Every listed field is checked to exist, so a client upgrade that
// renames one fails here instead of silently validating less.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_TARGET = join(root, 'packages', 'core', 'src', 'render', 'kube-schema', 'kube-schema.json');
const CLIENT = '@kubernetes/client-node';

/**
 * Quantity fields by model name without its version prefix (`V1beta2Counter` → `Counter`), so
 * every version of a model is covered. The API server's Quantity type accepts "500m", "1Gi" or a
 * bare number.
 */
const QUANTITY_FIELDS = {
  CapacityRequestPolicy: ['default', 'validValues'],
  CapacityRequestPolicyRange: ['max', 'min', 'step'],
  CapacityRequirements: ['requests'],
  ContainerStatus: ['allocatedResources'],
  Counter: ['value'],
  CSIStorageCapacity: ['capacity', 'maximumVolumeSize'],
  DeviceCapacity: ['value'],
  DeviceRequestAllocationResult: ['consumedCapacity'],
  EmptyDirVolumeSource: ['sizeLimit'],
  LimitRangeItem: ['default', 'defaultRequest', 'max', 'maxLimitRequestRatio', 'min'],
  MetricTarget: ['averageValue', 'value'],
  MetricValueStatus: ['averageValue', 'value'],
  NodeAllocatableResourceClaimStatus: ['resources'],
  NodeStatus: ['allocatable', 'capacity'],
  Overhead: ['podFixed'],
  PersistentVolumeClaimStatus: ['allocatedResources', 'capacity'],
  PersistentVolumeSpec: ['capacity'],
  PodSpec: ['overhead'],
  PodStatus: ['allocatedResources'],
  ResourceFieldSelector: ['divisor'],
  ResourceQuotaSpec: ['hard'],
  ResourceQuotaStatus: ['hard', 'used'],
  ResourceRequirements: ['limits', 'requests'],
  VolumeResourceRequirements: ['limits', 'requests'],
};

const ENCODING =
  'field types: s string, B base64 string, i int32, l int64, n number, b boolean, t RFC 3339 date-time, ' +
  'q quantity (string or number), io int-or-string, x anything, [T] list of T, {T} map of string to T, ' +
  'other names are models; a leading ! marks a required field. kinds: "<apiVersion>/<kind>" to its root model.';

function clientDir() {
  const require = createRequire(import.meta.url);
  return dirname(require.resolve(`${CLIENT}/package.json`));
}

function fail(message) {
  console.error(`generate-kube-schema: ${message}`);
  process.exit(1);
}

/** `V1beta2Counter` → `Counter`, `CoreV1EndpointPort` → `EndpointPort`, `V2MetricTarget` → `MetricTarget`. */
function unversioned(model) {
  return model.replace(/^[A-Za-z]*?V\d+(?:alpha\d+|beta\d+)?(?=[A-Z])/, '');
}

/** The API classes the client exports (the generator leaves files of removed APIs behind). */
function activeApiFiles(gen) {
  const index = readFileSync(join(gen, 'index.js'), 'utf8');
  const names = [...index.matchAll(/\bObject(\w+V\d+(?:alpha\d+|beta\d+)?Api) as /g)].map((m) => m[1]);
  if (names.length < 20) fail(`found only ${names.length} versioned API classes in ${CLIENT}'s index.js: has its layout changed?`);
  return [...new Set(names)].sort();
}

/** Every kind a client can create at a collection path: apiVersion/kind → model name. */
function topLevelKinds(gen) {
  const kinds = new Map();
  for (const api of activeApiFiles(gen)) {
    const text = readFileSync(join(gen, 'apis', `${api}.js`), 'utf8');
    // The request factory comes first; its methods end where the next `async` one starts.
    const methods = text.split(/\n {4}async /).slice(1);
    for (const method of methods) {
      const head = /^(create\w*)\(/.exec(method);
      if (!head || head[1].endsWith('WithHttpInfo')) continue;
      const path = /const localVarPath = '([^']+)'/.exec(method)?.[1];
      const body = /ObjectSerializer\.serialize\(body, "(\w+)", ""\)/.exec(method)?.[1];
      if (!path || !body) continue;
      // Subresources (pods/{name}/eviction, serviceaccounts/{name}/token) are not manifests.
      if (path.includes('{name}')) continue;
      const gv = /^\/api\/(v1)\/|^\/apis\/([^/]+\/[^/]+)\//.exec(path);
      if (!gv) fail(`${api}.${head[1]}: cannot read the group/version of ${path}`);
      const apiVersion = gv[1] ?? gv[2];
      const kind = path.includes('/namespaces/{namespace}/') ? head[1].replace(/^createNamespaced/, '') : head[1].replace(/^create/, '');
      if (unversioned(body) !== kind) fail(`${api}.${head[1]}: kind ${kind} does not match its body model ${body}`);
      const key = `${apiVersion}/${kind}`;
      if (kinds.has(key) && kinds.get(key) !== body) fail(`${key} is both ${kinds.get(key)} and ${body}`);
      kinds.set(key, body);
    }
  }
  return kinds;
}

function encodeType(type, format, where) {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) return `[${encodeType(array[1], format, where)}]`;
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) return `{${encodeType(map[1], format, where)}}`;
  // MicroTime is a model in the client but plain RFC 3339 text (with microseconds) on the wire.
  if (format === 'date-time-micro') return 't';
  switch (type) {
    case 'string':
      return format === 'byte' ? 'B' : 's';
    case 'number':
      if (format === 'int32') return 'i';
      if (format === 'int64') return 'l';
      if (format === 'double' || format === 'float' || format === '') return 'n';
      break;
    case 'boolean':
      return 'b';
    case 'Date':
      return 't';
    case 'IntOrString':
      return 'io';
    case 'any':
      return 'x';
    default:
      if (/^[A-Z]\w+$/.test(type)) return type;
  }
  return fail(`${where}: unknown type '${type}' (format '${format}')`);
}

function quantityType(encoded, where) {
  // A quantity field is a string, a list of them or a map of them (a ResourceList).
  if (encoded === 's') return 'q';
  if (encoded === '[s]') return '[q]';
  if (encoded === '{s}') return '{q}';
  return fail(`${where} is listed as a quantity but its type is ${encoded}`);
}

/** Properties the .d.ts declares without `?` are required by the API. */
function requiredFields(models, name, attributes) {
  const dts = readFileSync(join(models, `${name}.d.ts`), 'utf8');
  const declared = [...dts.matchAll(/^ {4}'([^']+)'(\?)?:/gm)];
  // Reading the .d.ts by pattern is only safe while it finds exactly the model's attributes.
  const names = attributes.map((a) => a.name).sort(compare);
  if (declared.map((m) => m[1]).sort(compare).join() !== names.join()) fail(`${name}.d.ts does not declare the properties of its attributeTypeMap`);
  return new Set(declared.filter((m) => !m[2]).map((m) => m[1]));
}

async function buildSchema() {
  const dir = clientDir();
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const gen = join(dir, 'dist', 'gen');
  const modelsDir = join(gen, 'models');
  const kinds = topLevelKinds(gen);

  const models = {};
  const specVersions = new Set();
  const quantitiesSeen = new Set();
  const queue = [...new Set(kinds.values())];
  const seen = new Set(queue);
  while (queue.length) {
    const name = queue.shift();
    const file = join(modelsDir, `${name}.js`);
    const text = readFileSync(file, 'utf8');
    const spec = /OpenAPI spec version: (\S+)/.exec(text)?.[1];
    if (spec) specVersions.add(spec);
    const cls = (await import(pathToFileURL(file).href))[name];
    if (!cls?.attributeTypeMap) fail(`${name}.js has no attributeTypeMap`);
    const required = requiredFields(modelsDir, name, cls.attributeTypeMap);
    const quantities = QUANTITY_FIELDS[unversioned(name)] ?? [];
    const fields = {};
    for (const attr of cls.attributeTypeMap) {
      const where = `${name}.${attr.baseName}`;
      let encoded = encodeType(attr.type, attr.format, where);
      if (quantities.includes(attr.baseName)) {
        encoded = quantityType(encoded, where);
        quantitiesSeen.add(`${unversioned(name)}.${attr.baseName}`);
      }
      for (const ref of encoded.matchAll(/[A-Z]\w+/g)) {
        if (!seen.has(ref[0])) {
          seen.add(ref[0]);
          queue.push(ref[0]);
        }
      }
      fields[attr.baseName] = required.has(attr.name) ? `!${encoded}` : encoded;
    }
    models[name] = fields;
  }

  const missing = Object.entries(QUANTITY_FIELDS)
    .flatMap(([model, fields]) => fields.map((f) => `${model}.${f}`))
    .filter((f) => !quantitiesSeen.has(f));
  if (missing.length) fail(`quantity fields not found in ${CLIENT} ${pkg.version}: ${missing.join(', ')}`);
  if (specVersions.size !== 1) fail(`the models come from more than one Kubernetes release: ${[...specVersions].join(', ')}`);
  const spec = [...specVersions][0];
  const kubernetes = /^(?:release-|v)(\d+\.\d+)/.exec(spec)?.[1];
  if (!kubernetes) fail(`cannot read a Kubernetes version from the models' spec version '${spec}'`);

  return {
    encoding: ENCODING,
    generatedFrom: { package: CLIENT, version: pkg.version, kubernetes },
    kinds: Object.fromEntries([...kinds].sort(([a], [b]) => compare(a, b))),
    models: Object.fromEntries(
      Object.keys(models)
        .sort(compare)
        .map((name) => [name, Object.fromEntries(Object.entries(models[name]).sort(([a], [b]) => compare(a, b)))]),
    ),
  };
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One kind and one model per line: small, and a client upgrade reads as a reviewable diff. */
function serialise(schema) {
  const block = (obj) =>
    `{\n${Object.entries(obj)
      .map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`)
      .join(',\n')}\n}`;
  return (
    `{\n"encoding":${JSON.stringify(schema.encoding)},\n` +
    `"generatedFrom":${JSON.stringify(schema.generatedFrom)},\n` +
    `"kinds":${block(schema.kinds)},\n` +
    `"models":${block(schema.models)}\n}\n`
  );
}

const args = process.argv.slice(2);
const fileAt = args.indexOf('--file');
const target = fileAt === -1 ? DEFAULT_TARGET : args[fileAt + 1];
if (!target) fail('--file needs a path');
const text = serialise(await buildSchema());
const shown = relative(root, target) || target;

if (args.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    fail(`${shown} is missing: run npm run generate:kube-schema`);
  }
  if (committed !== text) fail(`${shown} is stale (it differs from what ${CLIENT} gives): run npm run generate:kube-schema and commit it`);
  console.log(`${shown} is up to date`);
} else {
  writeFileSync(target, text);
  const { generatedFrom } = JSON.parse(text);
  console.log(`${shown}: ${(Buffer.byteLength(text) / 1024).toFixed(1)} kB, Kubernetes ${generatedFrom.kubernetes} from ${CLIENT} ${generatedFrom.version}`);
}
