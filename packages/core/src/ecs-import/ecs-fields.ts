import { closest } from '../schema/did-you-mean.js';
import type { ConversionReport } from './conversion-report.js';
import type { Field } from './source-field.js';

/**
 * The fields of the ECS API shapes the importer reads (RegisterTaskDefinition,
 * DescribeTaskDefinition, DescribeServices as of 2025). A field outside these
 * lists is reported as unknown, with the closest known name, and the import
 * goes on: AWS adds fields, and a typo should not stop a migration.
 */
export const TASK_DEFINITION_FIELDS = [
  'taskDefinitionArn', 'containerDefinitions', 'family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'revision',
  'volumes', 'status', 'requiresAttributes', 'placementConstraints', 'compatibilities', 'runtimePlatform',
  'requiresCompatibilities', 'cpu', 'memory', 'inferenceAccelerators', 'pidMode', 'ipcMode', 'proxyConfiguration',
  'registeredAt', 'deregisteredAt', 'registeredBy', 'ephemeralStorage', 'enableFaultInjection', 'tags',
] as const;

export const CONTAINER_FIELDS = [
  'name', 'image', 'repositoryCredentials', 'cpu', 'memory', 'memoryReservation', 'links', 'portMappings', 'essential',
  'restartPolicy', 'entryPoint', 'command', 'environment', 'environmentFiles', 'mountPoints', 'volumesFrom',
  'linuxParameters', 'secrets', 'dependsOn', 'startTimeout', 'stopTimeout', 'versionConsistency', 'hostname', 'user',
  'workingDirectory', 'disableNetworking', 'privileged', 'readonlyRootFilesystem', 'dnsServers', 'dnsSearchDomains',
  'extraHosts', 'dockerSecurityOptions', 'interactive', 'pseudoTerminal', 'dockerLabels', 'ulimits', 'logConfiguration',
  'healthCheck', 'systemControls', 'resourceRequirements', 'firelensConfiguration', 'credentialSpecs',
] as const;

export const SERVICE_FIELDS = [
  'serviceArn', 'serviceName', 'clusterArn', 'loadBalancers', 'serviceRegistries', 'status', 'desiredCount',
  'runningCount', 'pendingCount', 'launchType', 'capacityProviderStrategy', 'platformVersion', 'platformFamily',
  'taskDefinition', 'deploymentConfiguration', 'taskSets', 'deployments', 'roleArn', 'events', 'createdAt',
  'placementConstraints', 'placementStrategy', 'networkConfiguration', 'healthCheckGracePeriodSeconds',
  'schedulingStrategy', 'deploymentController', 'tags', 'createdBy', 'enableECSManagedTags', 'propagateTags',
  'enableExecuteCommand', 'availabilityZoneRebalancing', 'serviceConnectConfiguration', 'volumeConfigurations',
  'currentServiceDeployment', 'currentServiceRevisions',
] as const;

/** Reports every key of `field` that is not in `known`; returns whether there was any. */
export function reportUnknownFields(field: Field, known: readonly string[], what: string, report: ConversionReport): void {
  for (const [key, child] of field.entries()) {
    if (known.includes(key)) continue;
    const guess = closest(key, known);
    report.unsupported(child, `not a field of ${what}${guess ? ` (did you mean '${guess}'?)` : ''}; left out of the values`);
  }
}
