import {
  ABSOLUTE_PATH,
  CAPABILITY,
  CIDR,
  CONFIG_KEY,
  CRON_SCHEDULE,
  DNS_LABEL,
  DNS_SUBDOMAIN,
  DURATION,
  ENV_NAME,
  HOSTNAME,
  HTTP_PATH,
  IMAGE_REFERENCE,
  LABEL_VALUE,
  PERCENT,
  PORT_NAME,
  QUALIFIED_NAME,
  RELATIVE_PATH,
  RESOURCE_NAME,
  TIME_ZONE,
} from '../../schema/k8s-patterns.js';
import { s, type ValuesOf } from '../../schema/schema-dsl.js';

/*
 * The monochart values: the single description the validator, the defaults,
 * the types, schemas/monochart.values.schema.json and VALUES.md come from.
 * Key names follow the Kubernetes API wherever a key maps onto one, so what
 * a team reads in the Kubernetes docs is what it writes here.
 */

// ---- small shared pieces -------------------------------------------------

const labels = (description: string) => s.map(s.string({ pattern: LABEL_VALUE }), { keys: QUALIFIED_NAME, description });
const annotations = (description: string) =>
  s.map(s.string({ typeHint: 'annotation values are strings: quote numbers and booleans' }), { keys: QUALIFIED_NAME, description });
const stringList = (description: string) => s.array(s.string(), { description });
const port = (description: string, defaultText?: string) =>
  s.intOrString({ minimum: 1, maximum: 65535, pattern: PORT_NAME, description, ...(defaultText ? { defaultText } : {}) });
const fileMode = (description: string) =>
  s.integer({ minimum: 0, maximum: 511, description, typeHint: 'file modes are decimal integers: 0644 octal is 420' });
const intOrPercent = (description: string, defaultText?: string) =>
  s.intOrString({ minimum: 0, pattern: PERCENT, description, ...(defaultText ? { defaultText } : {}) });

const keyToPath = s.object(
  {
    key: s.string({ pattern: CONFIG_KEY, description: 'The key in the ConfigMap or Secret.' }),
    path: s.string({ pattern: RELATIVE_PATH, description: 'The file it becomes, relative to the mount path.' }),
    mode: fileMode('File mode (decimal, e.g. 292 for 0444).'),
  },
  { required: ['key', 'path'], definition: 'keyToPath' },
);

const labelSelector = s.object(
  {
    matchLabels: labels('Labels the selected pods carry.'),
    matchExpressions: s.array(
      s.object(
        {
          key: s.string({ pattern: QUALIFIED_NAME }),
          operator: s.string({ enum: ['In', 'NotIn', 'Exists', 'DoesNotExist'] }),
          values: stringList('Values for In and NotIn.'),
        },
        { required: ['key', 'operator'] },
      ),
    ),
  },
  { definition: 'labelSelector', kubernetesType: 'LabelSelector' },
);

// ---- containers -------------------------------------------------------------

const containerPort = s.object(
  {
    name: s.string({
      pattern: PORT_NAME,
      description: 'Services, Ingress paths, probes and the ServiceMonitor refer to ports by name, so a port number changes in one place.',
    }),
    containerPort: s.integer({ minimum: 1, maximum: 65535, description: 'The port the process listens on.' }),
    protocol: s.string({ enum: ['TCP', 'UDP', 'SCTP'], default: 'TCP' }),
  },
  { required: ['name', 'containerPort'], definition: 'containerPort' },
);

const keyRef = (what: string) =>
  s.object(
    {
      name: s.string({
        pattern: DNS_SUBDOMAIN,
        description: what === 'ConfigMap' ? "The ConfigMap's name (this chart's are named <app>-<key>)." : "The Secret's name.",
      }),
      key: s.string({ pattern: CONFIG_KEY, description: `The key in the ${what}.` }),
      optional: s.boolean({ description: `Start the pod even when the ${what} or key is missing.` }),
    },
    { required: ['name', 'key'] },
  );

const fieldRef = s.object(
  {
    fieldPath: s.string({ description: 'e.g. metadata.name, metadata.namespace, status.podIP, spec.nodeName.' }),
    apiVersion: s.string({ description: 'Defaults to v1 in Kubernetes.' }),
  },
  { required: ['fieldPath'] },
);

const resourceFieldRef = s.object(
  {
    resource: s.string({ description: 'e.g. limits.memory, requests.cpu.' }),
    containerName: s.string({ pattern: DNS_LABEL }),
    divisor: s.quantity(),
  },
  { required: ['resource'] },
);

const envVar = s.object(
  {
    name: s.string({ pattern: ENV_NAME }),
    value: s.string({
      description: 'A literal value. Never put secrets here: use valueFrom.secretKeyRef.',
      typeHint: "env values are strings: quote numbers and booleans, e.g. '8080'",
    }),
    valueFrom: s.object(
      {
        configMapKeyRef: keyRef('ConfigMap'),
        secretKeyRef: keyRef('Secret'),
        fieldRef,
        resourceFieldRef,
      },
      { exactlyOne: [['configMapKeyRef', 'secretKeyRef', 'fieldRef', 'resourceFieldRef']] },
    ),
  },
  { required: ['name'], atMostOne: [['value', 'valueFrom']], definition: 'envVar' },
);

const envFromSource = s.object(
  {
    prefix: s.string({ pattern: ENV_NAME, description: 'Prepended to every variable name.' }),
    configMapRef: s.object({ name: s.string({ pattern: DNS_SUBDOMAIN }), optional: s.boolean() }, { required: ['name'] }),
    secretRef: s.object({ name: s.string({ pattern: DNS_SUBDOMAIN }), optional: s.boolean() }, { required: ['name'] }),
  },
  { exactlyOne: [['configMapRef', 'secretRef']], definition: 'envFromSource' },
);

const httpGet = s.object(
  {
    path: s.string({ pattern: HTTP_PATH, default: '/' }),
    port: port('Container port name or number.'),
    scheme: s.string({ enum: ['HTTP', 'HTTPS'] }),
    host: s.string({ description: 'Defaults to the pod IP; set a Host header in httpHeaders instead.' }),
    httpHeaders: s.array(s.object({ name: s.string(), value: s.string() }, { required: ['name', 'value'] })),
  },
  { required: ['port'] },
);
const tcpSocket = s.object({ port: port('Container port name or number.'), host: s.string() }, { required: ['port'] });
const execAction = s.object({ command: s.array(s.string(), { minItems: 1, description: 'Run without a shell; use ["sh", "-c", "..."] for one.' }) }, { required: ['command'] });

const probe = s.object(
  {
    httpGet,
    tcpSocket,
    exec: execAction,
    grpc: s.object(
      {
        port: s.integer({ minimum: 1, maximum: 65535, description: 'A port number (gRPC probes take no names).' }),
        service: s.string({ description: 'The service name of the gRPC health check.' }),
      },
      { required: ['port'] },
    ),
    initialDelaySeconds: s.integer({ minimum: 0, description: 'Kubernetes default 0. Prefer a startupProbe for slow starts.' }),
    periodSeconds: s.integer({ minimum: 1, description: 'Kubernetes default 10.' }),
    timeoutSeconds: s.integer({ minimum: 1, description: 'Kubernetes default 1.' }),
    successThreshold: s.integer({ minimum: 1, description: 'Kubernetes default 1; must be 1 for liveness and startup probes.' }),
    failureThreshold: s.integer({ minimum: 1, description: 'Kubernetes default 3.' }),
    terminationGracePeriodSeconds: s.integer({ minimum: 1, description: 'Overrides the pod grace period when this probe fails.' }),
  },
  {
    exactlyOne: [['httpGet', 'tcpSocket', 'exec', 'grpc']],
    definition: 'probe',
    kubernetesType: 'Probe',
    description:
      'Exactly one of httpGet {path, port, scheme, httpHeaders}, tcpSocket {port}, exec {command}, grpc {port, service}, with initialDelaySeconds, periodSeconds, timeoutSeconds, successThreshold, failureThreshold. Ports by container port name or number.',
  },
);

const lifecycleHandler = s.object(
  {
    exec: execAction,
    httpGet,
    sleep: s.object({ seconds: s.integer({ minimum: 0 }) }, { required: ['seconds'] }),
  },
  { exactlyOne: [['exec', 'httpGet', 'sleep']], definition: 'lifecycleHandler' },
);

const resources = s.object(
  {
    requests: s.map(s.quantity(), {
      keys: RESOURCE_NAME,
      keySuggestions: ['cpu', 'memory', 'ephemeral-storage'],
      description: 'What the scheduler reserves, e.g. {cpu: 250m, memory: 512Mi}. The HPA measures utilisation against requests.',
    }),
    limits: s.map(s.quantity(), {
      keys: RESOURCE_NAME,
      keySuggestions: ['cpu', 'memory', 'ephemeral-storage'],
      description: 'The most the container may use; above the memory limit it is killed.',
    }),
  },
  { definition: 'resources' },
);

const capabilities = s.object({
  add: s.array(s.string({ pattern: CAPABILITY }), { description: 'e.g. [NET_BIND_SERVICE] to listen below 1024.' }),
  drop: s.array(s.string({ pattern: CAPABILITY })),
});

const seccompType = ['RuntimeDefault', 'Localhost', 'Unconfined'] as const;
const localhostProfile = s.string({ description: 'With type Localhost: the profile file on the node.' });
const seccompProfile = s.object({ type: s.string({ enum: seccompType }), localhostProfile }, { required: ['type'] });

const containerSecurityFields = {
  allowPrivilegeEscalation: s.boolean(),
  readOnlyRootFilesystem: s.boolean(),
  runAsNonRoot: s.boolean(),
  runAsUser: s.integer({ minimum: 0 }),
  runAsGroup: s.integer({ minimum: 0 }),
  privileged: s.boolean(),
  capabilities,
  seccompProfile,
};

/** The top-level one: the same keys with the safe defaults every container starts from. */
const defaultContainerSecurityFields = {
  ...containerSecurityFields,
  allowPrivilegeEscalation: s.boolean({ default: false }),
  readOnlyRootFilesystem: s.boolean({ default: true, description: 'Mount an emptyDir (e.g. at /tmp) for the paths the app writes to.' }),
  capabilities: s.object(
    {
      add: capabilities.properties.add,
      drop: s.array(s.string({ pattern: CAPABILITY }), { default: ['ALL'] }),
    },
    { group: true },
  ),
};

/** Per container: merged over the top-level `securityContext` (maps merge, lists replace). */
const containerSecurityContext = s.object(containerSecurityFields, {
  definition: 'containerSecurityContext',
  description: 'Merged over the top-level securityContext for this container (maps merge, lists replace).',
});

const volumeMount = s.object(
  {
    name: s.string({ pattern: DNS_LABEL, description: 'A volume of `volumes` or (StatefulSet) a volumeClaimTemplate.' }),
    mountPath: s.string({ pattern: ABSOLUTE_PATH }),
    subPath: s.string({ pattern: RELATIVE_PATH }),
    readOnly: s.boolean(),
  },
  { required: ['name', 'mountPath'], definition: 'volumeMount' },
);

const containerProperties = {
  name: s.string({ pattern: DNS_LABEL }),
  image: s.string({
    pattern: IMAGE_REFERENCE,
    description: "A full image reference. Left out, the container runs the app image given to render (inputs 'image', 'image-tag', 'image-digest').",
  }),
  imagePullPolicy: s.string({ enum: ['Always', 'IfNotPresent', 'Never'], defaultText: 'the top-level imagePullPolicy' }),
  command: stringList("Replaces the image's ENTRYPOINT."),
  args: stringList("Replaces the image's CMD."),
  workingDir: s.string({ pattern: ABSOLUTE_PATH }),
  ports: s.array(containerPort, { description: 'The first container\'s ports become the Service ports unless service.ports is set.' }),
  env: s.array(envVar, { description: 'In order: later entries may refer to earlier ones as $(NAME).' }),
  envFrom: s.array(envFromSource, { description: 'Every key of a ConfigMap or Secret as environment variables.' }),
  resources,
  volumeMounts: s.array(volumeMount),
  livenessProbe: probe,
  readinessProbe: probe,
  startupProbe: probe,
  lifecycle: s.object({ postStart: lifecycleHandler, preStop: lifecycleHandler }, { description: 'e.g. preStop: {sleep: {seconds: 10}} so load balancers stop sending before the process stops.' }),
  securityContext: containerSecurityContext,
};

const container = s.object(containerProperties, {
  required: ['name'],
  definition: 'container',
  unknownKeyHints: { restartPolicy: "only initContainers take restartPolicy (Always makes a native sidecar)" },
});

const initContainer = s.object(
  {
    ...containerProperties,
    restartPolicy: s.string({
      enum: ['Always'],
      description: 'Always: a native sidecar (Kubernetes 1.29+) that starts before the app containers and stops after them; it may have probes.',
    }),
  },
  { required: ['name'], definition: 'initContainer' },
);

// ---- pod ----------------------------------------------------------------------

const volume = s.object(
  {
    name: s.string({ pattern: DNS_LABEL }),
    configMap: s.object(
      {
        name: s.string({ pattern: DNS_SUBDOMAIN, description: "The ConfigMap's name (this chart's are <app>-<key>)." }),
        items: s.array(keyToPath),
        defaultMode: fileMode('Mode of the files (decimal; Kubernetes default 420 = 0644).'),
        optional: s.boolean(),
      },
      { required: ['name'] },
    ),
    secret: s.object(
      {
        secretName: s.string({ pattern: DNS_SUBDOMAIN }),
        items: s.array(keyToPath),
        defaultMode: fileMode('Mode of the files (decimal; Kubernetes default 420 = 0644).'),
        optional: s.boolean(),
      },
      { required: ['secretName'] },
    ),
    emptyDir: s.object({
      medium: s.string({ enum: ['', 'Memory'], description: "'' for the node's disk, Memory for tmpfs." }),
      sizeLimit: s.quantity(),
    }),
    persistentVolumeClaim: s.object({ claimName: s.string({ pattern: DNS_SUBDOMAIN }), readOnly: s.boolean() }, { required: ['claimName'] }),
    projected: s.object(
      {
        sources: s.array(
          s.object(
            {
              configMap: s.object({ name: s.string({ pattern: DNS_SUBDOMAIN }), items: s.array(keyToPath), optional: s.boolean() }, { required: ['name'] }),
              secret: s.object({ name: s.string({ pattern: DNS_SUBDOMAIN }), items: s.array(keyToPath), optional: s.boolean() }, { required: ['name'] }),
              serviceAccountToken: s.object(
                {
                  path: s.string({ pattern: RELATIVE_PATH }),
                  audience: s.string(),
                  expirationSeconds: s.integer({ minimum: 600 }),
                },
                { required: ['path'] },
              ),
              downwardAPI: s.object({
                items: s.array(
                  s.object({ path: s.string({ pattern: RELATIVE_PATH }), fieldRef, resourceFieldRef, mode: fileMode('File mode (decimal).') }, {
                    required: ['path'],
                    exactlyOne: [['fieldRef', 'resourceFieldRef']],
                  }),
                ),
              }),
            },
            { exactlyOne: [['configMap', 'secret', 'serviceAccountToken', 'downwardAPI']] },
          ),
          { minItems: 1 },
        ),
        defaultMode: fileMode('Mode of the files (decimal).'),
      },
      { required: ['sources'] },
    ),
    csi: s.object(
      {
        driver: s.string({ description: 'e.g. secrets-store.csi.k8s.io for AWS Secrets Manager through the Secrets Store CSI driver.' }),
        readOnly: s.boolean(),
        volumeAttributes: s.map(s.string(), { description: 'e.g. {secretProviderClass: verity-api-secrets}.' }),
        nodePublishSecretRef: s.object({ name: s.string({ pattern: DNS_SUBDOMAIN }) }, { required: ['name'] }),
      },
      { required: ['driver'] },
    ),
  },
  {
    required: ['name'],
    exactlyOne: [['configMap', 'secret', 'emptyDir', 'persistentVolumeClaim', 'projected', 'csi']],
    definition: 'volume',
  },
);

const toleration = s.object(
  {
    key: s.string({ pattern: QUALIFIED_NAME }),
    operator: s.string({ enum: ['Exists', 'Equal'] }),
    value: s.string(),
    effect: s.string({ enum: ['NoSchedule', 'PreferNoSchedule', 'NoExecute'] }),
    tolerationSeconds: s.integer({ minimum: 0 }),
  },
  { definition: 'toleration', kubernetesType: 'Toleration' },
);

const nodeSelectorRequirement = s.object(
  {
    key: s.string(),
    operator: s.string({ enum: ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'] }),
    values: stringList('Values for In, NotIn, Gt and Lt.'),
  },
  { required: ['key', 'operator'] },
);
const nodeSelectorTerm = s.object(
  { matchExpressions: s.array(nodeSelectorRequirement), matchFields: s.array(nodeSelectorRequirement) },
  { definition: 'nodeSelectorTerm' },
);
const podAffinityTerm = s.object(
  {
    labelSelector: labelSelector,
    namespaceSelector: labelSelector,
    namespaces: stringList('Namespaces to look in; defaults to this one.'),
    topologyKey: s.string({ description: 'e.g. kubernetes.io/hostname or topology.kubernetes.io/zone.' }),
    matchLabelKeys: stringList('Pod label keys whose values must match (e.g. pod-template-hash).'),
    mismatchLabelKeys: stringList('Pod label keys whose values must differ.'),
  },
  { required: ['topologyKey'], definition: 'podAffinityTerm' },
);
const podAffinity = s.object({
  requiredDuringSchedulingIgnoredDuringExecution: s.array(podAffinityTerm),
  preferredDuringSchedulingIgnoredDuringExecution: s.array(
    s.object({ weight: s.integer({ minimum: 1, maximum: 100 }), podAffinityTerm }, { required: ['weight', 'podAffinityTerm'] }),
  ),
});
const affinity = s.object(
  {
    nodeAffinity: s.object({
      requiredDuringSchedulingIgnoredDuringExecution: s.object(
        { nodeSelectorTerms: s.array(nodeSelectorTerm, { minItems: 1 }) },
        { required: ['nodeSelectorTerms'] },
      ),
      preferredDuringSchedulingIgnoredDuringExecution: s.array(
        s.object({ weight: s.integer({ minimum: 1, maximum: 100 }), preference: nodeSelectorTerm }, { required: ['weight', 'preference'] }),
      ),
    }),
    podAffinity,
    podAntiAffinity: podAffinity,
  },
  {
    kubernetesType: 'Affinity',
    description: "Kubernetes affinity; a pod (anti-)affinity term without labelSelector selects this app's pods.",
  },
);

const topologySpreadConstraint = s.object(
  {
    maxSkew: s.integer({ minimum: 1 }),
    topologyKey: s.string({ description: 'e.g. topology.kubernetes.io/zone.' }),
    whenUnsatisfiable: s.string({ enum: ['DoNotSchedule', 'ScheduleAnyway'] }),
    labelSelector: labelSelector,
    minDomains: s.integer({ minimum: 1 }),
    nodeAffinityPolicy: s.string({ enum: ['Honor', 'Ignore'] }),
    nodeTaintsPolicy: s.string({ enum: ['Honor', 'Ignore'] }),
    matchLabelKeys: stringList('e.g. [pod-template-hash] to spread each rollout on its own.'),
  },
  {
    required: ['maxSkew', 'topologyKey', 'whenUnsatisfiable'],
    kubernetesType: 'TopologySpreadConstraint',
    definition: 'topologySpreadConstraint',
    description: "Left out, labelSelector selects this app's pods.",
  },
);

const podSecurityContext = s.object(
  {
    runAsNonRoot: s.boolean({
      default: true,
      description: 'The image must declare a numeric non-root USER, or set runAsUser; otherwise the kubelet refuses to start the container.',
    }),
    runAsUser: s.integer({ minimum: 0 }),
    runAsGroup: s.integer({ minimum: 0 }),
    fsGroup: s.integer({ minimum: 0, description: 'Group that owns mounted volumes.' }),
    fsGroupChangePolicy: s.string({ enum: ['OnRootMismatch', 'Always'] }),
    supplementalGroups: s.array(s.integer({ minimum: 0 })),
    seccompProfile: s.object({ type: s.string({ enum: seccompType, default: 'RuntimeDefault' }), localhostProfile }, { group: true }),
    sysctls: s.array(s.object({ name: s.string(), value: s.string() }, { required: ['name', 'value'] })),
  },
  { group: true, description: 'The pod securityContext. Safe defaults: non-root, RuntimeDefault seccomp.' },
);

/** What a pod of the main workload and of each CronJob can say. */
const podScheduling = {
  nodeSelector: s.map(s.string({ pattern: LABEL_VALUE }), { keys: QUALIFIED_NAME, description: 'e.g. {kubernetes.io/arch: arm64}.' }),
  tolerations: s.array(toleration),
};

// ---- objects --------------------------------------------------------------------

const volumeClaimTemplate = s.object(
  {
    name: s.string({ pattern: DNS_LABEL, description: 'Containers mount it by this name.' }),
    size: s.quantity({ description: 'The storage request, e.g. 10Gi.' }),
    accessModes: s.array(s.string({ enum: ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'] }), { default: ['ReadWriteOnce'] }),
    storageClassName: s.string({ description: "Left out, the cluster's default class (e.g. gp3)." }),
    annotations: annotations('Annotations on each claim.'),
  },
  { required: ['name', 'size'], definition: 'volumeClaimTemplate' },
);

const servicePort = s.object(
  {
    name: s.string({ pattern: PORT_NAME }),
    port: s.integer({ minimum: 1, maximum: 65535, description: 'The port clients connect to.' }),
    targetPort: port('Container port name or number.', 'the port name'),
    protocol: s.string({ enum: ['TCP', 'UDP', 'SCTP'], default: 'TCP' }),
    nodePort: s.integer({ minimum: 30000, maximum: 32767, description: 'NodePort and LoadBalancer only.' }),
    appProtocol: s.string({ description: 'e.g. http, https, kubernetes.io/h2c.' }),
  },
  { required: ['name', 'port'], definition: 'servicePort' },
);

const ingressPath = s.object(
  {
    path: s.string({ pattern: HTTP_PATH, default: '/' }),
    pathType: s.string({ enum: ['Prefix', 'Exact', 'ImplementationSpecific'], default: 'Prefix' }),
    service: s.string({ pattern: DNS_LABEL, description: 'Another Service to send this path to.', defaultText: '<app>' }),
    port: port('The Service port, by name or number.', 'the first Service port'),
  },
  { definition: 'ingressPath' },
);

const scalingRules = s.object(
  {
    stabilizationWindowSeconds: s.integer({ minimum: 0, maximum: 3600 }),
    selectPolicy: s.string({ enum: ['Max', 'Min', 'Disabled'] }),
    policies: s.array(
      s.object(
        {
          type: s.string({ enum: ['Pods', 'Percent'] }),
          value: s.integer({ minimum: 1 }),
          periodSeconds: s.integer({ minimum: 1, maximum: 1800 }),
        },
        { required: ['type', 'value', 'periodSeconds'] },
      ),
    ),
  },
  { definition: 'hpaScalingRules', kubernetesType: 'HPAScalingRules' },
);

const configMap = s.object(
  {
    data: s.map(s.string({ typeHint: 'ConfigMap data values are strings: quote numbers and booleans' }), {
      keys: CONFIG_KEY,
      description: 'File name or variable name → content.',
    }),
    mountPath: s.string({
      pattern: ABSOLUTE_PATH,
      description: "Mount every key as a read-only file in this directory, in the workload's pods (CronJobs mount it through their own volumes).",
    }),
    mountInto: s.array(s.string({ pattern: DNS_LABEL }), {
      description: 'The containers or initContainers (e.g. a sidecar) to mount it into.',
      defaultText: 'the first container',
    }),
  },
  { definition: 'configMap' },
);

const cronJob = s.object(
  {
    schedule: s.string({ pattern: CRON_SCHEDULE }),
    timeZone: s.string({ pattern: TIME_ZONE, description: "e.g. Europe/Berlin; left out, the controller's time zone (UTC on EKS)." }),
    concurrencyPolicy: s.string({ enum: ['Allow', 'Forbid', 'Replace'], default: 'Forbid' }),
    suspend: s.boolean({ default: false }),
    startingDeadlineSeconds: s.integer({ minimum: 0 }),
    successfulJobsHistoryLimit: s.integer({ minimum: 0, default: 3 }),
    failedJobsHistoryLimit: s.integer({ minimum: 0, default: 1 }),
    backoffLimit: s.integer({ minimum: 0, description: 'Retries before the Job fails (Kubernetes default 6).' }),
    activeDeadlineSeconds: s.integer({ minimum: 1 }),
    ttlSecondsAfterFinished: s.integer({ minimum: 0 }),
    restartPolicy: s.string({ enum: ['OnFailure', 'Never'], default: 'OnFailure' }),
    containers: s.array(container, { minItems: 1, description: 'Same model as the top-level containers.' }),
    initContainers: s.array(initContainer),
    volumes: s.array(volume),
    podAnnotations: annotations('Annotations on the Job pods.'),
    podLabels: labels('Labels on the Job pods.'),
    ...podScheduling,
    terminationGracePeriodSeconds: s.integer({ minimum: 0 }),
    priorityClassName: s.string({ pattern: DNS_SUBDOMAIN }),
  },
  {
    required: ['schedule', 'containers'],
    definition: 'cronJob',
    description:
      "Job pods share the service account, image pull secrets and security contexts of the app; they carry app.kubernetes.io/name and app.kubernetes.io/component: <key>, never the app's instance label, so the Service, PDB and Deployment never select them.",
  },
);

// ---- the values ---------------------------------------------------------------------

export const monochartValuesDescription = s.object(
  {
    kind: s.string({ enum: ['Deployment', 'StatefulSet'], default: 'Deployment', description: 'The workload.' }),
    replicas: s.integer({ minimum: 0, default: 1, description: 'Left out of the workload when autoscaling is enabled: the HPA owns it.' }),
    revisionHistoryLimit: s.integer({ minimum: 0, default: 3, description: 'Old ReplicaSets (or revisions) kept for rollback; Argo CD keeps the history in git.' }),
    minReadySeconds: s.integer({ minimum: 0, description: 'Seconds a new pod must be ready before it counts as available.' }),
    strategy: s.object(
      {
        type: s.string({
          enum: ['RollingUpdate', 'Recreate', 'OnDelete'],
          defaultText: 'RollingUpdate',
          description: 'Recreate: Deployment only; OnDelete: StatefulSet only.',
        }),
        maxSurge: intOrPercent('Deployment: extra pods during a rollout.', '25%'),
        maxUnavailable: intOrPercent('Deployment: pods that may be unavailable during a rollout.', '0 (no capacity lost, like ECS minimumHealthyPercent 100)'),
        partition: s.integer({ minimum: 0, description: 'StatefulSet: only pods with an ordinal at or above it are updated (canaries).' }),
      },
      { group: true, description: 'How pods are replaced.' },
    ),
    statefulSet: s.object(
      {
        serviceName: s.string({ pattern: DNS_LABEL, defaultText: '<app>-headless', description: 'The headless Service that gives each pod a DNS name.' }),
        headlessService: s.boolean({ default: true, description: 'Render the headless Service named serviceName.' }),
        podManagementPolicy: s.string({ enum: ['OrderedReady', 'Parallel'] }),
        volumeClaimTemplates: s.array(volumeClaimTemplate, { description: 'One PersistentVolumeClaim per pod.' }),
        persistentVolumeClaimRetentionPolicy: s.object({
          whenDeleted: s.string({ enum: ['Retain', 'Delete'] }),
          whenScaled: s.string({ enum: ['Retain', 'Delete'] }),
        }),
      },
      { group: true, description: 'Settings for kind: StatefulSet (an error with a Deployment).' },
    ),
    imagePullPolicy: s.string({ enum: ['Always', 'IfNotPresent', 'Never'], default: 'IfNotPresent', description: 'For containers that do not set their own.' }),
    containers: s.array(container, {
      minItems: 1,
      default: [{ name: 'app', ports: [{ name: 'http', containerPort: 8080 }] }],
      description: "The pod's containers; the first is the main one (Service ports, default container). Sidecars are further entries or initContainers with restartPolicy: Always.",
    }),
    initContainers: s.array(initContainer, { description: 'Run to completion before the containers start, in order; restartPolicy: Always makes a native sidecar.' }),
    volumes: s.array(volume, { description: 'Pod volumes; containers mount them by name.' }),
    podAnnotations: annotations('Annotations on the pod template only. A change restarts the pods.'),
    podLabels: labels('Labels on the pod template only (not the selector labels, nor version labels).'),
    ...podScheduling,
    affinity,
    topologySpreadConstraints: s.array(topologySpreadConstraint),
    imagePullSecrets: s.array(s.string({ pattern: DNS_SUBDOMAIN }), { description: 'Names of docker-registry Secrets. Not needed for ECR from EKS nodes.' }),
    serviceAccount: s.object(
      {
        create: s.boolean({ default: true, description: 'Render a ServiceAccount for the app.' }),
        name: s.string({ pattern: DNS_SUBDOMAIN, defaultText: "<app> when create, else the namespace's default" }),
        annotations: annotations('e.g. {eks.amazonaws.com/role-arn: arn:aws:iam::123456789012:role/verity-api} for IRSA.'),
        automountServiceAccountToken: s.boolean({
          default: false,
          description: 'Mount a Kubernetes API token into the pods. IRSA does not need it. Set on the ServiceAccount and the pods.',
        }),
      },
      { group: true },
    ),
    terminationGracePeriodSeconds: s.integer({ minimum: 0, description: 'Kubernetes default 30.' }),
    priorityClassName: s.string({ pattern: DNS_SUBDOMAIN }),
    podSecurityContext,
    securityContext: s.object(defaultContainerSecurityFields, {
      group: true,
      description: 'The securityContext of every container (each may add its own on top). Safe defaults: no privilege escalation, all capabilities dropped, read-only root filesystem.',
    }),
    service: s.object(
      {
        enabled: s.boolean({ default: true, description: 'Rendered when there are ports (service.ports, or the first container\'s).' }),
        type: s.string({ enum: ['ClusterIP', 'NodePort', 'LoadBalancer'], default: 'ClusterIP' }),
        ports: s.array(servicePort, { defaultText: "one per port of the first container: same number, targetPort by name" }),
        annotations: annotations('e.g. service.beta.kubernetes.io/aws-load-balancer-type: external for an NLB.'),
        externalTrafficPolicy: s.string({ enum: ['Cluster', 'Local'], description: 'NodePort and LoadBalancer only.' }),
        loadBalancerClass: s.string({ description: 'LoadBalancer only, e.g. service.k8s.aws/nlb.' }),
        loadBalancerSourceRanges: s.array(s.string({ pattern: CIDR }), { description: 'LoadBalancer only.' }),
      },
      { group: true },
    ),
    ingress: s.object(
      {
        enabled: s.boolean({ default: false }),
        className: s.string({ description: 'The ingressClassName, e.g. alb for the AWS Load Balancer Controller.' }),
        annotations: annotations('e.g. alb.ingress.kubernetes.io/scheme: internet-facing, alb.ingress.kubernetes.io/target-type: ip.'),
        hosts: s.array(
          s.object(
            {
              host: s.string({ pattern: HOSTNAME, description: 'Left out, the rule matches every host.' }),
              paths: s.array(ingressPath, { default: [{ path: '/', pathType: 'Prefix' }] }),
            },
          ),
          { description: 'One rule per entry.' },
        ),
        tls: s.array(
          s.object(
            {
              hosts: s.array(s.string({ pattern: HOSTNAME }), { minItems: 1 }),
              secretName: s.string({ pattern: DNS_SUBDOMAIN, description: 'Left out with the ALB controller, which finds the ACM certificate.' }),
            },
            { required: ['hosts'] },
          ),
        ),
      },
      { group: true },
    ),
    autoscaling: s.object(
      {
        enabled: s.boolean({ default: false, description: 'Render a HorizontalPodAutoscaler (autoscaling/v2); the workload then leaves replicas out.' }),
        minReplicas: s.integer({ minimum: 1, default: 2 }),
        maxReplicas: s.integer({ minimum: 1, default: 10 }),
        targetCPUUtilizationPercentage: s.integer({
          minimum: 1,
          defaultText: '80 when no memory target is set',
          description: 'Of the CPU request; every container needs one.',
        }),
        targetMemoryUtilizationPercentage: s.integer({ minimum: 1, description: 'Of the memory request; every container needs one.' }),
        behavior: s.object({ scaleUp: scalingRules, scaleDown: scalingRules }),
      },
      { group: true },
    ),
    podDisruptionBudget: s.object(
      {
        enabled: s.boolean({ default: false }),
        minAvailable: intOrPercent('Pods that must stay up during voluntary disruptions (node drains).'),
        maxUnavailable: intOrPercent('Pods that may be down during voluntary disruptions.', '1 when minAvailable is not set'),
        unhealthyPodEvictionPolicy: s.string({ enum: ['IfHealthyBudget', 'AlwaysAllow'], description: 'AlwaysAllow lets drains evict pods that are not ready anyway.' }),
      },
      { group: true, atMostOne: [['minAvailable', 'maxUnavailable']] },
    ),
    configMaps: s.map(configMap, {
      keys: DNS_LABEL,
      description: 'ConfigMaps named <app>-<key>. Those the pods use are hashed into a pod annotation, so a change rolls the pods.',
    }),
    cronJobs: s.map(cronJob, { keys: DNS_LABEL, description: 'CronJobs (batch/v1) named <app>-<key>.' }),
    serviceMonitor: s.object(
      {
        enabled: s.boolean({ default: false, description: 'Render a Prometheus operator ServiceMonitor (monitoring.coreos.com/v1).' }),
        port: s.string({ pattern: PORT_NAME, defaultText: 'the first Service port', description: 'The Service port name to scrape.' }),
        path: s.string({ pattern: HTTP_PATH, default: '/metrics' }),
        interval: s.string({ pattern: DURATION, default: '30s' }),
        scrapeTimeout: s.string({ pattern: DURATION }),
        scheme: s.string({ enum: ['http', 'https'] }),
        honorLabels: s.boolean(),
        labels: labels("Labels the Prometheus serviceMonitorSelector looks for, e.g. {release: kube-prometheus-stack}."),
      },
      { group: true },
    ),
  },
  {
    unknownKeyHints: {
      replicaCount: "did you mean 'replicas'?",
      image: "the image comes from render's inputs (image, image-tag, image-digest); to run another image set containers[].image",
      resources: 'resources belong to each container: containers[].resources',
      env: 'env belongs to each container: containers[].env',
      probes: 'probes belong to each container: containers[].livenessProbe, readinessProbe, startupProbe',
      labels: 'the caller sets the common labels; podLabels are for the pod template',
      annotations: 'the caller sets the common annotations; podAnnotations are for the pod template',
      hpa: "did you mean 'autoscaling'?",
      pdb: "did you mean 'podDisruptionBudget'?",
      namespace: "the namespace comes from render's input 'namespace'",
      nameOverride: 'object names are the app name from render, <app> and <app>-<suffix>',
      fullnameOverride: 'object names are the app name from render, <app> and <app>-<suffix>',
    },
  },
);

export type MonochartValues = ValuesOf<typeof monochartValuesDescription>;
export type MonochartContainer = ValuesOf<typeof initContainer>;
export type MonochartVolume = ValuesOf<typeof volume>;
export type MonochartCronJob = ValuesOf<typeof cronJob>;
export type MonochartServicePort = ValuesOf<typeof servicePort>;
