import { COMPONENT_LABEL, NAME_LABEL, objectMetadata, putIfSet, type K8sObject, type MonochartContext } from './monochart-context.js';
import { renderPodTemplate } from './render-pod.js';
import type { MonochartValues } from './values-description.js';

/**
 * batch/v1 CronJobs `<app>-<key>`, in key order. Their pods carry the app's
 * name and the job's key as component, but not the app's instance label: the
 * Service, PDB and workload select on name and instance, and must never pick
 * up a Job's pod.
 */
export function renderCronJobs(values: MonochartValues, context: MonochartContext): K8sObject[] {
  return Object.entries(values.cronJobs ?? {}).map(([key, job]) => {
    const template = renderPodTemplate(
      {
        containers: job.containers,
        initContainers: job.initContainers,
        volumes: job.volumes,
        nodeSelector: job.nodeSelector,
        tolerations: job.tolerations,
        terminationGracePeriodSeconds: job.terminationGracePeriodSeconds,
        priorityClassName: job.priorityClassName,
        restartPolicy: job.restartPolicy,
      },
      values,
      context,
      { labels: { [NAME_LABEL]: context.app, [COMPONENT_LABEL]: key, ...(job.podLabels ?? {}) }, annotations: job.podAnnotations ?? {} },
    );
    const jobSpec: Record<string, unknown> = {};
    putIfSet(jobSpec, 'backoffLimit', job.backoffLimit);
    putIfSet(jobSpec, 'activeDeadlineSeconds', job.activeDeadlineSeconds);
    putIfSet(jobSpec, 'ttlSecondsAfterFinished', job.ttlSecondsAfterFinished);
    jobSpec.template = template;

    const spec: Record<string, unknown> = { schedule: job.schedule };
    putIfSet(spec, 'timeZone', job.timeZone);
    spec.concurrencyPolicy = job.concurrencyPolicy;
    spec.suspend = job.suspend;
    putIfSet(spec, 'startingDeadlineSeconds', job.startingDeadlineSeconds);
    spec.successfulJobsHistoryLimit = job.successfulJobsHistoryLimit;
    spec.failedJobsHistoryLimit = job.failedJobsHistoryLimit;
    spec.jobTemplate = { spec: jobSpec };
    return {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: objectMetadata(context, `${context.app}-${key}`, { labels: { [COMPONENT_LABEL]: key } }),
      spec,
    };
  });
}
