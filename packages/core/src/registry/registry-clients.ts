import { findRegistryCredentials } from './credentials.js';
import { RegistryClient } from './registry-client.js';

export interface RegistryClientsOptions {
  insecure: boolean;
  /** The docker config.json to read credentials from for registries without a login. */
  dockerConfig: string | undefined;
  /** Credentials given for one registry (e.g. a step's inputs), named in refusal messages as `source`. */
  login?: { registry: string; username: string; password: string; source: string };
  log?: (line: string) => void;
  /** Bearer tokens obtained on the way, so the runner can mask them. */
  onSecret?: (value: string) => void;
}

/** One client per registry host, each with the credentials that belong to it; closed together. */
export class RegistryClients {
  private readonly clients = new Map<string, RegistryClient>();

  constructor(private readonly options: RegistryClientsOptions) {}

  get(registry: string): RegistryClient {
    let client = this.clients.get(registry);
    if (!client) {
      const { login, dockerConfig, log, onSecret, insecure } = this.options;
      const explicit = login && login.registry === registry ? login : undefined;
      const found = findRegistryCredentials(registry, {
        ...(explicit ? { explicit: { username: explicit.username, password: explicit.password } } : {}),
        ...(dockerConfig ? { dockerConfig } : {}),
      });
      for (const note of found.notes) log?.(note);
      client = new RegistryClient({
        registry,
        insecure,
        credentialsSource: explicit ? explicit.source : found.source,
        ...(found.credentials ? { credentials: found.credentials } : {}),
        ...(log ? { log } : {}),
        ...(onSecret ? { onSecret } : {}),
      });
      this.clients.set(registry, client);
    }
    return client;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
  }
}
