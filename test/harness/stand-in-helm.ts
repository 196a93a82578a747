/*
 * helm cannot be installed on these machines (no network but npm). This
 * shell script stands in for it: it answers the two commands we use as helm
 * does, prints `helm template` output in helm's documented format, and
 * records the argv it was given.
 */

/**
 * `helm template` output in helm's documented format: every manifest is
 * `---`, `# Source: <chart>/<path>`, the manifest. CRDs (only with
 * --include-crds) come first and are printed as the file holds them, here
 * with a leading `---` of its own; hooks come last; a template that renders
 * only a comment still gets its document; test hooks appear unless
 * --skip-tests; NOTES.txt never appears.
 */
export const CRDS = `---
# Source: verity-api/crds/widgets.example.com.yaml
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: widgets.example.com
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema: {openAPIV3Schema: {type: object}}
`;
export const MANIFESTS = `---
# Source: verity-api/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: verity-api
  labels:
    helm.sh/chart: verity-api-0.1.0
    app.kubernetes.io/managed-by: Helm
---
# Source: verity-api/templates/ingress.yaml
# ingress.enabled is false
---
# Source: verity-api/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: verity-api
spec:
  type: ClusterIP
  ports:
    - port: 80
      targetPort: http
---
# Source: verity-api/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: verity-api
spec:
  replicas: 2
  selector:
    matchLabels:
      app.kubernetes.io/name: verity-api
  template:
    metadata:
      labels:
        app.kubernetes.io/name: verity-api
    spec:
      containers:
        - name: verity-api
          image: "ghcr.io/acme/verity-api:1.4.0"
          env:
            - name: FEATURE
              value: "no"
---
# Source: verity-api/templates/migrate-job.yaml
apiVersion: batch/v1
kind: Job
metadata:
  name: verity-api-migrate
  annotations:
    "helm.sh/hook": pre-install,pre-upgrade
    "helm.sh/hook-delete-policy": before-hook-creation
spec:
  template:
    spec:
      restartPolicy: Never
      containers:
        - name: migrate
          image: "ghcr.io/acme/verity-api:1.4.0"
`;
export const TESTS = `---
# Source: verity-api/templates/tests/test-connection.yaml
apiVersion: v1
kind: Pod
metadata:
  name: "verity-api-test-connection"
  annotations:
    "helm.sh/hook": test
spec:
  restartPolicy: Never
  containers:
    - name: wget
      image: busybox
      command: ['wget']
      args: ['verity-api:80']
`;

export interface StandIn {
  /** What `helm version --template '{{.Version}}'` prints. */
  version: string;
  /** Where `helm template` writes its argv, NUL-separated. */
  record: string;
  /** `helm template` fails the way helm does on a broken template. */
  fail?: boolean;
}

/** A shell script that behaves like helm for `version --template {{.Version}}` and `template`. */
export function standInHelm(options: StandIn): string {
  const heredoc = (text: string) => `cat <<'__HELM_OUTPUT__'\n${text}__HELM_OUTPUT__\n`;
  return `#!/bin/sh
case "$1" in
  version)
    if [ "$#" -eq 3 ] && [ "$2" = "--template" ] && [ "$3" = "{{.Version}}" ]; then
      printf '%s' '${options.version}'
      exit 0
    fi
    echo 'Error: stand-in helm: unexpected version arguments' >&2
    exit 1
    ;;
  template)
    printf '%s\\0' "$@" > '${options.record}'
    ${
      options.fail
        ? `echo 'Error: template: verity-api/templates/deployment.yaml:12:24: executing "verity-api/templates/deployment.yaml" at <.Values.image.repository>: nil pointer evaluating interface {}.repository' >&2
    echo '' >&2
    echo 'Use --debug flag to render out invalid YAML' >&2
    exit 1`
        : ''
    }
    crds=0
    tests=1
    for arg in "$@"; do
      case "$arg" in
        --include-crds) crds=1 ;;
        --skip-tests) tests=0 ;;
      esac
    done
    if [ "$crds" = 1 ]; then
${heredoc(CRDS)}    fi
${heredoc(MANIFESTS)}    if [ "$tests" = 1 ]; then
${heredoc(TESTS)}    fi
    exit 0
    ;;
  *)
    echo "Error: unknown command \\"$1\\" for \\"helm\\"" >&2
    exit 1
    ;;
esac
`;
}

