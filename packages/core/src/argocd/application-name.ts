import { InputError } from '../errors/errors.js';

/**
 * The Argo CD Application to watch. By convention it is named after the
 * GitOps directory the pipeline writes, `<app>--<env>`, which is a DNS label;
 * a name that is not one cannot be an Application this pipeline made, and
 * would reach the URL path we build.
 */

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

export function isDnsLabel(name: string): boolean {
  return name.length <= 63 && DNS_LABEL.test(name);
}

export function parseApplicationName(raw: string, name = 'application'): string {
  const value = raw.trim();
  if (!isDnsLabel(value)) {
    const shown = value.length > 80 ? `${value.slice(0, 77)}...` : value;
    throw new InputError(
      `input '${name}' must be an Argo CD Application name that is a DNS label (lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit), e.g. verity-api--staging (got '${shown}')`,
    );
  }
  return value;
}

/**
 * The Application name: the explicit one, else `<app>--<env>` as the GitOps
 * directory is named. `app` falls back to the repository's name.
 */
export function resolveApplicationName(options: { application: string; app: string; environment: string; repository: string }): string {
  if (options.application.trim()) return parseApplicationName(options.application);
  const app = options.app.trim() || options.repository.split('/')[1] || '';
  const environment = options.environment.trim();
  if (!app || !environment) {
    throw new InputError(
      "input 'application' is required unless 'environment' is given (the Application is then named <app>--<environment>, with 'app' defaulting to the repository's name)",
    );
  }
  for (const [input, value] of [['app', app], ['environment', environment]] as const) {
    if (!isDnsLabel(value)) throw new InputError(`input '${input}' must be a DNS label to name the Application <app>--<environment> (got '${value.slice(0, 80)}')`);
  }
  return parseApplicationName(`${app}--${environment}`, 'application (from app and environment)');
}
