import { parseArgs } from 'node:util';
import { dockerConfigFile } from '#core/registry/credentials.js';
import { retagImage } from '#core/registry/retag-image.js';
import { UsageError } from './usage-error.js';

export const RETAG_USAGE = `usage: gitops-actions retag [--insecure] [--json] <source-ref> <tag|reference>...

Points new tags at the image <source-ref> names, without rebuilding:
  a tag of the same repository        one manifest upload, no layer moves
  a reference to another repository   blobs mounted inside the registry
  a reference to another registry     only missing blobs streamed across

Credentials come from the docker config ($DOCKER_CONFIG/config.json or ~/.docker/config.json).

  --insecure   allow plain HTTP (loopback test registries)
  --json       print the result as JSON instead of one reference per line`;

export async function retagCommand(args: string[], env: NodeJS.ProcessEnv, out: (line: string) => void, err: (line: string) => void): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: { insecure: { type: 'boolean' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${RETAG_USAGE}`);
  }
  if (parsed.values.help) {
    out(RETAG_USAGE);
    return;
  }
  const [source, ...targets] = parsed.positionals;
  if (!source || targets.length === 0) throw new UsageError(`retag needs a source and at least one new tag\n\n${RETAG_USAGE}`);
  const result = await retagImage({
    source,
    targets,
    insecure: parsed.values.insecure ?? false,
    dockerConfig: dockerConfigFile({ DOCKER_CONFIG: env.DOCKER_CONFIG, HOME: env.HOME }),
    log: err,
  });
  if (parsed.values.json) out(JSON.stringify(result));
  else for (const ref of result.references) out(`${ref}@${result.digest}`);
}
