import { objectMetadata, type K8sObject, type MonochartContext } from './monochart-context.js';
import type { MonochartValues } from './values-description.js';

/** The app's ServiceAccount, e.g. carrying the IRSA role annotation. */
export function renderServiceAccount(values: MonochartValues, context: MonochartContext): K8sObject | undefined {
  const account = values.serviceAccount;
  if (!account.create) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: objectMetadata(context, account.name ?? context.app, { annotations: account.annotations ?? {} }),
    automountServiceAccountToken: account.automountServiceAccountToken,
  };
}
