import { retag } from '../registry/copy.js';
import { findRegistryCredentials } from '../registry/credentials.js';
import { manifestReference, parseImageReference } from '../registry/reference.js';
import { RegistryClient } from '../registry/registry-client.js';
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
  const clients = new Map<string, RegistryClient>();
  const clientFor = (registry: string): RegistryClient => {
    let client = clients.get(registry);
    if (!client) {
      const explicit = options.login && options.login.registry === registry ? options.login : undefined;
      const found = findRegistryCredentials(registry, {
        ...(explicit ? { explicit: { username: explicit.username, password: explicit.password } } : {}),
        ...(options.dockerConfig ? { dockerConfig: options.dockerConfig } : {}),
      });
      for (const note of found.notes) options.log?.(note);
      client = new RegistryClient({
        registry,
        insecure: options.insecure,
        ...(found.credentials ? { credentials: found.credentials } : {}),
        credentialsSource: explicit ? "inputs 'username' and 'password'" : found.source,
        ...(options.log ? { log: options.log } : {}),
        ...(options.onSecret ? { onSecret: options.onSecret } : {}),
      });
      clients.set(registry, client);
    }
    return client;
  };

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
