import { describe, expect, test } from 'vitest';
import { importEcs } from '#core/ecs-import/index.js';
import { InputError } from '#core/errors/errors.js';
import { pathOf } from '#core/schema/value-path.js';

const container = { name: 'app', image: 'registry.example.com/app:1.0.0', portMappings: [{ containerPort: 8080 }] };
const td = (definition: Record<string, unknown>) => ({ file: 'td.json', text: JSON.stringify({ taskDefinition: definition }, null, 2) });
const services = (list: unknown[], failures: unknown[] = []) => ({ file: 'svc.json', text: JSON.stringify({ services: list, failures }) });

function failure(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return (e as Error).message;
  }
  throw new Error('expected an InputError');
}

describe('import-ecs: input it refuses, with the message a user sees', () => {
  test('malformed JSON: where, and what', () => {
    const text = '{\n  "taskDefinition": {\n    "family": "web",\n  }\n}\n';
    expect(failure(() => importEcs({ taskDefinition: { file: 'td.json', text }, environment: 'staging' }))).toBe(
      "td.json:4:3: not valid JSON: Expected double-quoted property name\n    4 |   }\n      |   ^",
    );
  });

  test('truncated JSON', () => {
    expect(failure(() => importEcs({ taskDefinition: { file: 'td.json', text: '{"taskDefinition": {"family": "web"' }, environment: 'staging' }))).toBe(
      "td.json:1:36: not valid JSON: Expected ',' or '}' after property value\n    1 | {\"taskDefinition\": {\"family\": \"web\"\n      |                                    ^",
    );
  });

  test('an empty file', () => {
    expect(failure(() => importEcs({ taskDefinition: { file: 'td.json', text: '\n' }, environment: 'staging' }))).toBe(
      'td.json: is empty; expected the JSON of an ECS task definition or service',
    );
  });

  test('a duplicate key, which JSON.parse would drop silently', () => {
    const text = '{"family": "web", "containerDefinitions": [], "family": "api"}';
    expect(failure(() => importEcs({ taskDefinition: { file: 'td.json', text }, environment: 'staging' }))).toMatch(/^td\.json:1:47: duplicate key 'family'/);
  });

  test('a task definition without containers', () => {
    expect(failure(() => importEcs({ taskDefinition: td({ family: 'web' }), environment: 'staging' }))).toBe(
      'td.json: taskDefinition.containerDefinitions: the task definition has no containers (the field is missing); an ECS task definition lists at least one container definition',
    );
    expect(failure(() => importEcs({ taskDefinition: td({ family: 'web', containerDefinitions: [] }), environment: 'staging' }))).toBe(
      'td.json: taskDefinition.containerDefinitions: the task definition has no containers (got an empty list); an ECS task definition lists at least one container definition',
    );
  });

  test('a container without an image, and two containers with one name', () => {
    expect(failure(() => importEcs({ taskDefinition: td({ family: 'web', containerDefinitions: [{ name: 'app' }] }), environment: 'staging' }))).toBe(
      'td.json: taskDefinition.containerDefinitions[0].image: every container definition needs an image (a non-empty string)',
    );
    expect(failure(() => importEcs({ taskDefinition: td({ family: 'web', containerDefinitions: [container, container] }), environment: 'staging' }))).toBe(
      "td.json: taskDefinition.containerDefinitions: two containers are called 'app'; ECS container names are unique in a task definition",
    );
  });

  test('something that is not a task definition, and a service given as one', () => {
    expect(failure(() => importEcs({ taskDefinition: { file: 'td.json', text: '[1, 2]' }, environment: 'staging' }))).toBe(
      "td.json: expected a JSON object with an ECS task definition (the output of 'aws ecs describe-task-definition'), got a list",
    );
    expect(failure(() => importEcs({ taskDefinition: services([{ serviceName: 'web' }]), environment: 'staging' }))).toBe(
      `svc.json: no ECS task definition found: expected the output of 'aws ecs describe-task-definition' ({"taskDefinition": {…}}) or register-task-definition's input ({"family": …, "containerDefinitions": […]}); this looks like describe-services output: pass it with --service`,
    );
  });

  test('describe-services with no service, with several, and picking one by name', () => {
    const definition = td({ family: 'web', containerDefinitions: [container] });
    expect(failure(() => importEcs({ taskDefinition: definition, service: services([], [{ arn: 'arn:aws:ecs:eu-west-1:123456789012:service/staging/web', reason: 'MISSING' }]), environment: 'staging' }))).toBe(
      'svc.json: describe-services found no service (failures: arn:aws:ecs:eu-west-1:123456789012:service/staging/web: MISSING): check the --cluster and --services you gave the AWS CLI',
    );
    const two = services([{ serviceName: 'web', desiredCount: 2 }, { serviceName: 'web-canary', desiredCount: 1 }]);
    expect(failure(() => importEcs({ taskDefinition: definition, service: two, environment: 'staging' }))).toBe(
      'svc.json: describe-services returned 2 services (web, web-canary); an import converts one: pick it with --service-name',
    );
    expect(failure(() => importEcs({ taskDefinition: definition, service: two, serviceName: 'api', environment: 'staging' }))).toBe("svc.json: no service called 'api' (services: web, web-canary)");
    const picked = importEcs({ taskDefinition: definition, service: two, serviceName: 'web-canary', environment: 'staging' });
    expect(picked.app).toBe('web-canary');
    expect(picked.values.replicas).toBe(1);
    expect(picked.report.entries.find((e) => pathOf(e.path) === 'services[0]')).toMatchObject({ status: 'unsupported', action: false, note: 'another service (web), not imported: run the import again with --service-name web' });
  });

  test('names Kubernetes cannot carry', () => {
    expect(failure(() => importEcs({ taskDefinition: td({ containerDefinitions: [container] }), environment: 'staging' }))).toBe(
      'no app name: the task definition has no family and there is no service; give one with --app',
    );
    expect(failure(() => importEcs({ taskDefinition: td({ family: 'web', containerDefinitions: [container] }), environment: 'Staging' }))).toBe(
      "the environment must be a DNS-1123 label like verity-api (got 'Staging'): it has upper-case letters (use 'staging')",
    );
  });

  test('compose without services', () => {
    expect(failure(() => importEcs({ compose: { file: 'docker-compose.yml', text: "version: '3'\n" }, environment: 'staging' }))).toBe(
      'docker-compose.yml: services: the compose project has no services (containers); ecs-cli registers one container per service',
    );
  });
});

describe('import-ecs: input it reports and goes on with', () => {
  test('unknown fields at every level are unsupported, with a suggestion, never fatal', () => {
    const result = importEcs({
      taskDefinition: td({
        family: 'web',
        memorySize: '512',
        containerDefinitions: [{ ...container, memoryReservaton: 256, healthCheck: { command: ['CMD', 'true'], intervall: 10 } }],
      }),
      environment: 'staging',
    });
    const notes = Object.fromEntries(result.report.entries.filter((e) => e.status === 'unsupported').map((e) => [pathOf(e.path), e.note]));
    expect(notes).toMatchObject({
      'taskDefinition.memorySize': 'not a field of an ECS task definition; left out of the values',
      'taskDefinition.containerDefinitions[0].memoryReservaton': "not a field of an ECS container definition (did you mean 'memoryReservation'?); left out of the values",
      'taskDefinition.containerDefinitions[0].healthCheck.intervall': 'not a field of an ECS healthCheck; left out',
    });
    expect(result.values.containers[0]!.resources).toBeUndefined();
  });

  test('secrets whose valueFrom no store accepts are reported, and the rest still converts', () => {
    const result = importEcs({
      taskDefinition: td({
        family: 'web',
        containerDefinitions: [{ ...container, secrets: [{ name: 'TOKEN', valueFrom: 'arn:aws:s3:::bucket/token' }, { name: 'DB', valueFrom: 'db-password' }] }],
      }),
      environment: 'staging',
    });
    expect(result.values.containers[0]!.env).toEqual([{ name: 'DB', valueFrom: { secretKeyRef: { name: 'web-parameter-store', key: 'DB' } } }]);
    expect(result.report.entries.find((e) => pathOf(e.path).endsWith('secrets[0]'))).toMatchObject({
      status: 'unsupported',
      note: "a secret needs a name and a valueFrom that is an SSM parameter or a Secrets Manager ARN (got 'arn:aws:s3:::bucket/token'); left out",
    });
  });

  test('a service running another revision than the one imported says so', () => {
    const result = importEcs({
      taskDefinition: td({ taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:4', family: 'web', containerDefinitions: [container] }),
      service: services([{ serviceName: 'web', taskDefinition: 'arn:aws:ecs:eu-west-1:1:task-definition/web:5', desiredCount: 0 }]),
      environment: 'staging',
    });
    expect(result.values.replicas).toBe(0);
    expect(result.report.entries.find((e) => pathOf(e.path) === 'services[0].taskDefinition')?.note).toBe(
      'the service runs arn:aws:ecs:eu-west-1:1:task-definition/web:5, but the imported task definition is arn:aws:ecs:eu-west-1:1:task-definition/web:4: import the revision the service runs',
    );
  });

  test('--keep-image writes the main image into the values', () => {
    const result = importEcs({ taskDefinition: td({ family: 'web', containerDefinitions: [container] }), environment: 'staging', keepImage: true });
    expect(result.values.containers[0]!.image).toBe('registry.example.com/app:1.0.0');
    expect(result.image).toBeUndefined();
  });
});
