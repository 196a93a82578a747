import type { MappingToken, TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { isBoolean, isString } from './actions-parser.js';
import type { InputValue } from './event-context.js';
import { entries, field, items, mappingField, sequenceField, stringField } from './template-tokens.js';

/** Inputs or secrets a run or a call cannot start with. */
export class InputError extends Error {
  override name = 'InputError';
}

export interface InputDefinition {
  type: string;
  required: boolean;
  default: TemplateToken | undefined;
  options: string[] | undefined;
}

const literalTrue = (token: TemplateToken | undefined) => token !== undefined && isBoolean(token) && token.value;

/**
 * `on.<event>.inputs` read from the tokens: the parser's model of them drops `type: number`
 * and defaults that are expressions, both of which workflow_call allows.
 */
export function inputDefinitions(root: MappingToken, event: 'workflow_dispatch' | 'workflow_call'): Record<string, InputDefinition> {
  const inputs = mappingField(mappingField(mappingField(root, 'on'), event), 'inputs');
  return Object.fromEntries(
    entries(inputs).map(([name, token]) => {
      const def = token as MappingToken;
      const options = sequenceField(def, 'options');
      return [
        name,
        {
          type: stringField(def, 'type') ?? 'string',
          required: literalTrue(field(def, 'required')),
          default: field(def, 'default'),
          options: options ? items(options).map((o) => (isString(o) ? o.value : o.toString())) : undefined,
        },
      ];
    }),
  );
}

/** `on.workflow_call.secrets`: name → required. */
export function secretDefinitions(root: MappingToken): Record<string, boolean> {
  const secrets = mappingField(mappingField(mappingField(root, 'on'), 'workflow_call'), 'secrets');
  return Object.fromEntries(entries(secrets).map(([name, def]) => [name, literalTrue(field(def as MappingToken, 'required'))]));
}

function coerce(name: string, type: string, value: InputValue): InputValue {
  switch (type) {
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === 'false') return value === 'true';
      throw new InputError(`input '${name}' is a boolean (got ${JSON.stringify(value)})`);
    case 'number': {
      const n = typeof value === 'number' ? value : Number(value);
      if (typeof value === 'boolean' || Number.isNaN(n) || String(value).trim() === '') throw new InputError(`input '${name}' is a number (got ${JSON.stringify(value)})`);
      return n;
    }
    default:
      // A number or boolean given to a string input arrives as its text.
      return String(value);
  }
}

/**
 * The `inputs` context of a workflow_dispatch or workflow_call run, checked as GitHub checks
 * them: no unknown inputs, required ones present, choices among the options, types kept
 * (a boolean stays a boolean in `inputs`; `github.event.inputs` has strings).
 */
export function resolveInputs(
  definitions: Record<string, InputDefinition>,
  given: Record<string, InputValue>,
  evaluateDefault: (token: TemplateToken) => InputValue,
): Record<string, InputValue> {
  const lower = (s: string) => s.toLowerCase();
  const declared = Object.keys(definitions);
  for (const name of Object.keys(given)) {
    if (!declared.some((d) => lower(d) === lower(name))) {
      throw new InputError(`unexpected input '${name}': the workflow declares ${declared.join(', ') || 'no inputs'}`);
    }
  }
  const out: Record<string, InputValue> = {};
  for (const [name, def] of Object.entries(definitions)) {
    const givenName = Object.keys(given).find((k) => lower(k) === lower(name));
    let value: InputValue;
    if (givenName !== undefined) value = given[givenName]!;
    else if (def.default !== undefined) value = evaluateDefault(def.default);
    else if (def.required) throw new InputError(`input '${name}' is required`);
    else value = def.type === 'boolean' ? false : def.type === 'number' ? 0 : '';
    value = coerce(name, def.type, value);
    if (def.type === 'choice' && def.options && !def.options.includes(String(value))) {
      throw new InputError(`input '${name}' must be one of ${def.options.join(', ')} (got '${value}')`);
    }
    out[name] = value;
  }
  return out;
}

/** Secrets a called workflow declares as required must be passed (possibly empty, as an unset caller secret is). */
export function checkCallSecrets(definitions: Record<string, boolean>, passed: Record<string, string>, inherited: boolean): void {
  if (inherited) return;
  const lower = (s: string) => s.toLowerCase();
  for (const [name, required] of Object.entries(definitions)) {
    if (required && !Object.keys(passed).some((p) => lower(p) === lower(name))) throw new InputError(`secret '${name}' is required, but not provided while calling`);
  }
  for (const name of Object.keys(passed)) {
    if (lower(name) !== 'github_token' && !Object.keys(definitions).some((d) => lower(d) === lower(name))) {
      throw new InputError(`secret '${name}' is not defined in the called workflow`);
    }
  }
}
