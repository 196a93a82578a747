import { basename, dirname, resolve } from 'node:path';
import { InputError } from '../errors/errors.js';
import { listProblems } from '../errors/problem-list.js';
import { assertDnsLabel } from '../render/dns-name.js';
import { formatObjectProblem, validateObject } from '../render/kube-schema/index.js';
import { MonochartValuesError, renderMonochart, validateMonochartValues, type K8sObject } from '../render/monochart/index.js';
import { dumpYaml } from '../yaml/dump-yaml.js';
import { convertCompose } from './compose-conversion.js';
import { ConversionReport } from './conversion-report.js';
import { findService, findTaskDefinition } from './ecs-input.js';
import { splitImage, type ImageParts } from './image-parts.js';
import { readJsonDocument, readYamlDocument, type InputDocument } from './input-document.js';
import { dnsLabel } from './kube-names.js';
import { reportMarkdown } from './report-markdown.js';
import { externalSecretManifests, SecretReferences, type SecretReference } from './secret-references.js';
import { convertService } from './service-conversion.js';
import type { Field } from './source-field.js';
import { convertTaskDefinition, type ImportedValues } from './task-conversion.js';

export interface SourceText {
  /** As the user named it: messages and the report use it. */
  file: string;
  text: string;
}

export interface ImportEcsOptions {
  /** describe-task-definition output, or register-task-definition input. */
  taskDefinition?: SourceText;
  /** describe-services output (one service, or pick with serviceName). */
  service?: SourceText;
  serviceName?: string;
  /** An ecs-cli project instead of a task definition. */
  compose?: SourceText;
  ecsParams?: SourceText;
  /** Left out: the service's name, else the task definition's family, as a DNS-1123 label. */
  app?: string;
  environment: string;
  /** Write the main container's image into the values instead of leaving it to render's 'image' input. */
  keepImage?: boolean;
  /** The Kubernetes release the rendered objects are checked against. */
  kubeVersion?: string;
}

export interface ImportEcsResult {
  app: string;
  environment: string;
  values: ImportedValues;
  /** The values file: a header saying where it came from, then the values. */
  valuesYaml: string;
  report: ConversionReport;
  reportMarkdown: string;
  secrets: readonly SecretReference[];
  /** ExternalSecrets for the secrets the values refer to (not rendered by the chart). */
  externalSecrets: Record<string, unknown>[];
  /** The main container's image, split as render's image inputs take it; undefined with keepImage. */
  image?: ImageParts;
  /** What renderMonochart made of the values, checked against the Kubernetes API. */
  objects: K8sObject[];
}

export const DEFAULT_KUBE_VERSION = '1.32';

/**
 * Converts an ECS task definition (and optionally its service), or an
 * ecs-cli compose project, into builtin-monochart values for one
 * environment, and a report of what became of every input field. The values
 * are checked by the monochart's own validation, rendered, and the objects
 * checked against the Kubernetes API before anything is returned.
 */
export function importEcs(options: ImportEcsOptions): ImportEcsResult {
  assertDnsLabel(options.environment, 'the environment');
  if (options.compose && options.taskDefinition) throw new InputError('give a task definition or a compose project, not both');
  if (options.ecsParams && !options.compose) throw new InputError('ecs-params.yml belongs to a compose project: give the docker-compose.yml too');
  if (!options.compose && !options.taskDefinition) throw new InputError('nothing to import: give a task definition (or a compose project)');

  const report = new ConversionReport();
  const documents: InputDocument[] = [];
  let td: Field;
  let service: Field | undefined;
  if (options.compose) {
    const compose = readYamlDocument(options.compose.text, options.compose.file);
    const params = options.ecsParams ? readYamlDocument(options.ecsParams.text, options.ecsParams.file) : undefined;
    documents.push(compose, ...(params ? [params] : []));
    ({ td, service } = convertCompose(compose, params, report));
  } else {
    const doc = readJsonDocument(options.taskDefinition!.text, options.taskDefinition!.file);
    documents.push(doc);
    td = findTaskDefinition(doc, report);
  }
  if (options.service) {
    if (options.compose) throw new InputError('a compose project has no describe-services output; give --service with a task definition');
    const doc = readJsonDocument(options.service.text, options.service.file);
    documents.push(doc);
    service = findService(doc, options.serviceName, report);
  } else if (options.serviceName !== undefined) throw new InputError('a service name picks one service of --service: give that file too');

  const app = options.app ?? defaultApp(service, td, options.compose?.file);
  assertDnsLabel(app, options.app ? 'the app' : `the app name made from the ${service?.child('serviceName').present ? 'service name' : options.compose ? 'compose project directory' : 'family'} (give one with --app)`);

  const secrets = new SecretReferences(app);
  const mainHint = service?.child('loadBalancers').items()[0]?.child('containerName').string();
  const task = convertTaskDefinition(td, { app, report, secrets, keepImage: options.keepImage ?? false, ...(mainHint ? { mainHint } : {}) });
  if (service) convertService(service, task, report);
  report.complete(documents);

  task.values = ordered(task.values);
  const image = options.keepImage || !task.mainImage ? undefined : splitImage(task.mainImage);
  const objects = checkValues(task.values, app, options.environment, image, options.kubeVersion ?? DEFAULT_KUBE_VERSION);
  const externalSecrets = externalSecretManifests(secrets.all);
  const files = documents.map((d) => d.file);
  return {
    app,
    environment: options.environment,
    values: task.values,
    valuesYaml: valuesFile(task.values, app, options.environment, files, options.keepImage ? '' : task.mainImage),
    report,
    reportMarkdown: reportMarkdown(report, { app, environment: options.environment, files, image: options.keepImage ? '' : task.mainImage, secrets: secrets.all, externalSecrets }),
    secrets: secrets.all,
    externalSecrets,
    ...(image ? { image } : {}),
    objects,
  };
}

/** The service's name, the family, or (as ecs-cli named a compose project) the compose file's directory. */
function defaultApp(service: Field | undefined, td: Field, composeFile: string | undefined): string {
  const name = service?.child('serviceName').string() ?? td.child('family').string() ?? (composeFile ? basename(dirname(resolve(composeFile))) : undefined);
  if (!name) throw new InputError('no app name: the task definition has no family and there is no service; give one with --app');
  return dnsLabel(name);
}

/**
 * The monochart's own checks, a render, and the Kubernetes API's structure
 * for every object. A failure here is the importer's fault (or a name in the
 * input no Kubernetes object can carry), so it names both.
 */
function checkValues(values: ImportedValues, app: string, environment: string, image: ImageParts | undefined, kubeVersion: string): K8sObject[] {
  let objects: K8sObject[];
  try {
    validateMonochartValues(values);
    objects = renderMonochart(values, { app, environment, ...(image ? { image } : {}) });
  } catch (e) {
    if (e instanceof MonochartValuesError) throw new InputError(`the imported values do not pass the monochart's checks, so nothing was written:\n${e.message}\n(please report this as a bug in import-ecs, with the input)`);
    throw e;
  }
  const problems = objects.flatMap((o) => validateObject(o, kubeVersion).problems.map((p) => formatObjectProblem(o, p)));
  if (problems.length) throw new InputError(`the imported values render objects Kubernetes ${kubeVersion} would refuse, so nothing was written:\n${listProblems(problems)}`);
  return objects;
}

function valuesFile(values: ImportedValues, app: string, environment: string, files: readonly string[], image: string): string {
  // File names and images are the user's: one line each, or the comment would end early.
  const oneLine = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const header = [
    `# builtin:monochart values for ${app} in ${environment}, imported from ${oneLine(files.join(', '))} by gitops-actions import-ecs.`,
    '# Read the conversion report before deploying: some fields were approximated or need a decision.',
    ...(image ? [`# The app image comes from render's 'image' input; this task ran ${oneLine(image)}.`] : []),
  ];
  return `${header.join('\n')}\n${dumpYaml(values, { sortKeys: false })}`;
}

/** The order VALUES.md documents keys in, so the file reads like the reference. */
const KEY_ORDER = [
  'kind', 'replicas', 'strategy', 'imagePullSecrets', 'containers', 'initContainers', 'volumes', 'podAnnotations', 'nodeSelector',
  'topologySpreadConstraints', 'serviceAccount', 'terminationGracePeriodSeconds', 'podSecurityContext', 'securityContext',
  'service', 'ingress', 'configMaps',
];

function ordered(values: ImportedValues): ImportedValues {
  const keys = Object.keys(values).sort((a, b) => rankOf(a) - rankOf(b));
  return Object.fromEntries(keys.map((k) => [k, values[k]])) as ImportedValues;
}

function rankOf(key: string): number {
  const i = KEY_ORDER.indexOf(key);
  return i < 0 ? KEY_ORDER.length : i;
}
