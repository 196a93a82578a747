import { retag } from '../registry/copy.js';
import { manifestReference, parseImageReference } from '../registry/reference.js';
import { RegistryClients } from '../registry/registry-clients.js';
import { PlatformNotFoundError } from '../registry/registry-error.js';
import type { ExistingImage, RegistryAccess } from './build-and-push.js';
import { REVISION_LABEL } from './oci-labels.js';
import type { RegistryLogin } from './registry-auth-file.js';

export interface RegistryAccessOptions {
  login: RegistryLogin | undefined;
  insecure: boolean;
  /** The user's docker config.json, for registries the step has no login for. */
  dockerConfig: string | undefined;
  log?: (line: string) => void;
  /** Bearer tokens obtained on the way; the runner masks them. */
  onSecret?: (value: string) => void;
}

/** The registry operations build-and-push needs, on the core registry client. */
export function registryAccess(options: RegistryAccessOptions): RegistryAccess {
  const clients = new RegistryClients({
    insecure: options.insecure,
    dockerConfig: options.dockerConfig,
    ...(options.login ? { login: { ...options.login, source: "inputs 'username' and 'password'" } } : {}),
    ...(options.log ? { log: options.log } : {}),
    ...(options.onSecret ? { onSecret: options.onSecret } : {}),
  });
  const clientFor = (registry: string) => clients.get(registry);

  return {
    async existing(refText: string): Promise<ExistingImage | undefined> {
      const ref = parseImageReference(refText, 'tag');
      const client = clientFor(ref.registry);
      client.willPushTo(ref.repository);
      const head = await client.headManifest(ref.repository, manifestReference(ref));
      if (!head) return undefined;
      try {
        const { labels } = await client.imageConfig(ref.repository, head.digest);
        return { digest: head.digest, revision: labels[REVISION_LABEL] ?? '' };
      } catch (e) {
        // An index without our default platform cannot be compared: build rather than guess.
        if (e instanceof PlatformNotFoundError) return { digest: head.digest, revision: '' };
        throw e;
      }
    },
    async retag(image: string, digest: string, refs: readonly string[]): Promise<void> {
      if (refs.length === 0) return;
      const ref = parseImageReference(image, "input 'image'");
      const tags = refs.map((r) => r.slice(r.lastIndexOf(':') + 1));
      await retag(clientFor(ref.registry), ref.repository, digest, tags);
    },
  };
}
