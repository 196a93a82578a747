/**
 * Validation of rendered objects against the Kubernetes API: the field
 * structure of one Kubernetes release (the client's, STRUCTURE_KUBERNETES_VERSION)
 * plus a table of which API versions each release serves.
 */
export { apiAvailability, type ApiAvailability } from './api-availability.js';
export { STRUCTURE_KUBERNETES_VERSION, STRUCTURE_SOURCE } from './kube-structure.js';
export { parseKubeVersion, type KubeVersion } from './kube-version.js';
export { formatObjectProblem, type ObjectProblem } from './object-problem.js';
export { validateObject, type ObjectValidation } from './validate-object.js';
