import { InputError } from '../errors/errors.js';
import { isPlainObject } from '../schema/check-values.js';
import type { ConversionReport } from './conversion-report.js';
import type { InputDocument } from './input-document.js';
import { Field } from './source-field.js';

/**
 * The task definition in a file: the output of describe-task-definition or
 * register-task-definition (`{"taskDefinition": {…}, "tags": […]}`), or the
 * bare definition register-task-definition takes with --cli-input-json.
 * Fails, naming the file, when there is no task definition with containers.
 */
export function findTaskDefinition(doc: InputDocument, report: ConversionReport): Field {
  const root = Field.root(doc.value, doc.file);
  if (!isPlainObject(doc.value)) {
    throw new InputError(`${doc.file}: expected a JSON object with an ECS task definition (the output of 'aws ecs describe-task-definition'), got ${describe(doc.value)}`);
  }
  let td = root;
  if (isPlainObject(doc.value.taskDefinition)) {
    td = root.child('taskDefinition');
    for (const [key, f] of root.entries()) {
      if (key === 'taskDefinition') continue;
      if (key === 'tags') report.unsupported(f, 'AWS resource tags of the task definition; Kubernetes objects carry the chart\'s labels', { action: false });
      else report.unsupported(f, `not part of describe-task-definition output ({"taskDefinition": …, "tags": […]}); left out`);
    }
  } else if (!('containerDefinitions' in doc.value)) {
    throw new InputError(
      `${doc.file}: no ECS task definition found: expected the output of 'aws ecs describe-task-definition' ({"taskDefinition": {…}}) or register-task-definition's input ({"family": …, "containerDefinitions": […]})` +
        (Array.isArray(doc.value.services) ? `; this looks like describe-services output: pass it with --service` : ''),
    );
  }
  const containers = td.child('containerDefinitions');
  if (!Array.isArray(containers.value) || containers.value.length === 0) {
    throw new InputError(`${doc.file}: ${containers.text}: the task definition has no containers (${containers.present ? `got ${describe(containers.value)}` : 'the field is missing'}); an ECS task definition lists at least one container definition`);
  }
  containers.items().forEach((c) => {
    if (!isPlainObject(c.value)) throw new InputError(`${doc.file}: ${c.text}: a container definition must be a JSON object, got ${describe(c.value)}`);
    for (const key of ['name', 'image']) {
      const f = c.child(key);
      if (typeof f.value !== 'string' || f.value === '') throw new InputError(`${doc.file}: ${f.text}: every container definition needs a${key === 'image' ? 'n' : ''} ${key} (a non-empty string)${f.present ? `, got ${describe(f.value)}` : ''}`);
    }
  });
  const names = containers.items().map((c) => c.child('name').string()!);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new InputError(`${doc.file}: ${containers.text}: two containers are called '${twice}'; ECS container names are unique in a task definition`);
  return td;
}

/**
 * The one service in a file: describe-services output (`{"services": [ … ],
 * "failures": [ … ]}`), create/update-service output (`{"service": {…}}`),
 * or a bare service. With several services, `serviceName` picks one.
 */
export function findService(doc: InputDocument, serviceName: string | undefined, report: ConversionReport): Field {
  const root = Field.root(doc.value, doc.file);
  if (!isPlainObject(doc.value)) throw new InputError(`${doc.file}: expected the JSON of 'aws ecs describe-services', got ${describe(doc.value)}`);
  if (isPlainObject(doc.value.service)) {
    for (const [key, f] of root.entries()) if (key !== 'service') report.unsupported(f, 'not part of an ECS service output; left out');
    return root.child('service');
  }
  if (!Array.isArray(doc.value.services)) {
    if ('serviceName' in doc.value || 'loadBalancers' in doc.value || 'desiredCount' in doc.value) return root;
    throw new InputError(`${doc.file}: no ECS service found: expected the output of 'aws ecs describe-services' ({"services": [{…}]})${'taskDefinition' in doc.value || 'containerDefinitions' in doc.value ? '; this looks like a task definition: pass it with --task-definition' : ''}`);
  }
  const services = root.child('services').items();
  const failures = root.child('failures');
  const failed = failures.items().map((f) => `${f.child('arn').string() ?? '?'}: ${f.child('reason').string() ?? '?'}`);
  if (services.length === 0) {
    throw new InputError(`${doc.file}: describe-services found no service${failed.length ? ` (failures: ${failed.join('; ')})` : ''}: check the --cluster and --services you gave the AWS CLI`);
  }
  const nameOf = (s: Field) => s.child('serviceName').string() ?? '?';
  let chosen: Field | undefined;
  if (serviceName !== undefined) {
    chosen = services.find((s) => nameOf(s) === serviceName);
    if (!chosen) throw new InputError(`${doc.file}: no service called '${serviceName}' (services: ${services.map(nameOf).join(', ')})`);
  } else if (services.length > 1) {
    throw new InputError(`${doc.file}: describe-services returned ${services.length} services (${services.map(nameOf).join(', ')}); an import converts one: pick it with --service-name`);
  } else chosen = services[0]!;
  for (const s of services) if (s !== chosen) report.unsupported(s, `another service (${nameOf(s)}), not imported: run the import again with --service-name ${nameOf(s)}`, { action: false });
  if (failures.present) {
    if (failed.length) report.unsupported(failures, `describe-services could not describe: ${failed.join('; ')}`, { action: false });
  }
  for (const [key, f] of root.entries()) if (!['services', 'failures'].includes(key)) report.unsupported(f, 'not part of describe-services output; left out');
  return chosen;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return value.length === 0 ? 'an empty list' : 'a list';
  if (value === null) return 'null';
  if (isPlainObject(value)) return 'an object';
  return `${typeof value === 'string' ? 'the string' : `the ${typeof value}`} ${JSON.stringify(value).slice(0, 60)}`;
}
