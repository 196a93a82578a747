import type { ConversionReport } from './conversion-report.js';
import { dnsLabel, uniqueName } from './kube-names.js';
import type { Field } from './source-field.js';

export interface VolumeValues {
  name: string;
  emptyDir?: { medium?: string; sizeLimit?: string };
  persistentVolumeClaim?: { claimName: string };
}

export interface TaskVolumes {
  volumes: VolumeValues[];
  /** ECS volume name → the Kubernetes volume mounts refer to; absent when nothing could be made of it. */
  names: Map<string, string>;
  taken: Set<string>;
}

/**
 * Task-level volumes. Kubernetes mounts pod volumes by name just as ECS
 * mounts task volumes, so mountPoints carry over; what differs is where the
 * data lives. A scratch volume is an emptyDir; anything that outlives the
 * task (EFS, a shared Docker volume) becomes a PersistentVolumeClaim the team
 * creates, so the pod waits for it instead of silently starting empty.
 */
export function convertVolumes(volumes: Field, app: string, report: ConversionReport): TaskVolumes {
  const out: TaskVolumes = { volumes: [], names: new Map(), taken: new Set() };
  volumes.items().forEach((v) => {
    const ecsName = v.child('name').string();
    if (!ecsName) {
      report.unsupported(v, 'a volume without a name cannot be mounted; left out');
      return;
    }
    const name = uniqueName(dnsLabel(ecsName) || 'volume', out.taken);
    const to = `volumes[${out.volumes.length}]`;
    const nameNote = name === ecsName ? '' : `renamed '${name}' (volume names are DNS-1123 labels)`;
    const claim = () => {
      const claimName = dnsLabel(`${app}-${name}`, 253);
      out.volumes.push({ name, persistentVolumeClaim: { claimName } });
      out.names.set(ecsName, name);
      return claimName;
    };

    const host = v.child('host');
    const docker = v.child('dockerVolumeConfiguration');
    const efs = v.child('efsVolumeConfiguration');
    const fsx = v.child('fsxWindowsFileServerVolumeConfiguration');
    const atLaunch = v.child('configuredAtLaunch');
    for (const [key, child] of v.entries()) {
      if (!['name', 'host', 'dockerVolumeConfiguration', 'efsVolumeConfiguration', 'fsxWindowsFileServerVolumeConfiguration', 'configuredAtLaunch'].includes(key)) {
        report.unsupported(child, 'not a field of an ECS volume; left out');
      }
    }

    if (host.child('sourcePath').present) {
      report.unsupported(v, `a bind mount of the host's ${host.child('sourcePath').string() ?? ''}: the chart offers no hostPath volumes (they tie a pod to a node's disk); its mounts are left out too — use an emptyDir for scratch space, a PersistentVolumeClaim for data, or a DaemonSet outside this chart for node agents`);
      return;
    }
    if (efs.present) {
      const fileSystemId = efs.child('fileSystemId').string() ?? '<fileSystemId>';
      const root = efs.child('rootDirectory').string();
      const accessPoint = efs.child('authorizationConfig').child('accessPointId').string();
      const claimName = claim();
      report.approximated(
        v,
        `${to}.persistentVolumeClaim.claimName`,
        `EFS ${fileSystemId}: create a PersistentVolume for the EFS CSI driver (csi.driver efs.csi.aws.com, volumeHandle ${fileSystemId}:${accessPoint ? '' : (root ?? '')}:${accessPoint ?? ''}${efs.child('transitEncryption').string() === 'ENABLED' ? ', mountOptions [tls]' : ''}${efs.child('authorizationConfig').child('iam').string() === 'ENABLED' ? ', mountOptions [iam] with the driver\'s IAM role' : ''}) and a PersistentVolumeClaim ${claimName} (ReadWriteMany) bound to it${nameNote ? `; ${nameNote}` : ''}`,
      );
      return;
    }
    if (fsx.present) {
      report.unsupported(v, 'FSx for Windows File Server volumes are for Windows tasks; the chart has no SMB volume (use the SMB CSI driver with a PersistentVolumeClaim); its mounts are left out too');
      return;
    }
    if (atLaunch.value === true) {
      report.unsupported(v, 'a volume configured at launch (an EBS volume per task): give each pod its own claim with kind: StatefulSet and statefulSet.volumeClaimTemplates; its mounts are left out too');
      return;
    }
    if (docker.present) {
      const scope = docker.child('scope').string() ?? 'task';
      const driver = docker.child('driver').string() ?? 'local';
      if (driver !== 'local') {
        report.unsupported(v, `Docker volume driver '${driver}' has no Kubernetes counterpart in the chart; use its CSI driver and a PersistentVolumeClaim; its mounts are left out too`);
        return;
      }
      if (scope === 'shared') {
        const claimName = claim();
        report.approximated(v, `${to}.persistentVolumeClaim.claimName`, `a shared Docker volume outlives the task: create a PersistentVolumeClaim ${claimName} (with several replicas it needs ReadWriteMany, e.g. EFS)${nameNote ? `; ${nameNote}` : ''}`);
        return;
      }
      out.volumes.push({ name, emptyDir: {} });
      out.names.set(ecsName, name);
      report.approximated(v, `${to}.emptyDir`, `a task-scoped Docker volume: an emptyDir, created with the pod and deleted with it${docker.child('driverOpts').present ? '; driverOpts are not carried over' : ''}${nameNote ? `; ${nameNote}` : ''}`);
      return;
    }
    out.volumes.push({ name, emptyDir: {} });
    out.names.set(ecsName, name);
    report.converted(v, `${to}.emptyDir`, `scratch space shared by the task's containers: an emptyDir${nameNote ? `; ${nameNote}` : ''}`);
  });
  return out;
}
