/**
 * The shape of every built-in Kubernetes kind, as of ONE Kubernetes release:
 * the one @kubernetes/client-node was generated from (see `generatedFrom` in
 * kube-schema.json, written by scripts/generate-kube-schema.mjs). Fields do not
 * differ per cluster version here; what differs per version is which
 * apiVersions are served at all, and that is api-availability.ts's job.
 */
import schemaFile from './kube-schema.json' with { type: 'json' };

/** A field type, decoded once from the JSON's compact encoding. */
export type FieldType =
  | { readonly kind: 'scalar'; readonly scalar: Scalar }
  | { readonly kind: 'list'; readonly of: FieldType }
  | { readonly kind: 'map'; readonly of: FieldType }
  | { readonly kind: 'model'; readonly model: string };

/** s string, B base64, i int32, l int64, n number, b boolean, t date-time, q quantity, io int-or-string, x anything. */
export type Scalar = 's' | 'B' | 'i' | 'l' | 'n' | 'b' | 't' | 'q' | 'io' | 'x';

export interface Model {
  readonly name: string;
  readonly fields: ReadonlyMap<string, FieldType>;
  readonly fieldNames: readonly string[];
  readonly required: readonly string[];
}

interface SchemaFile {
  generatedFrom: { package: string; version: string; kubernetes: string };
  kinds: Record<string, string>;
  models: Record<string, Record<string, string>>;
}

const file = schemaFile as unknown as SchemaFile;

/** The Kubernetes release the field structure comes from, e.g. `1.36`. */
export const STRUCTURE_KUBERNETES_VERSION: string = file.generatedFrom.kubernetes;
/** Where it was read from, for the log: `@kubernetes/client-node 2.0.1`. */
export const STRUCTURE_SOURCE = `${file.generatedFrom.package} ${file.generatedFrom.version}`;

const SCALARS = new Set<string>(['s', 'B', 'i', 'l', 'n', 'b', 't', 'q', 'io', 'x']);

/** The root model of `apps/v1` `Deployment`, or undefined when the structure has no such kind. */
export function rootModel(apiVersion: string, kind: string): Model | undefined {
  const name = file.kinds[`${apiVersion}/${kind}`];
  return name === undefined ? undefined : model(name);
}

/** Every `apiVersion/kind` the structure knows, e.g. `apps/v1/Deployment`, `v1/Service`. */
export function structureKinds(): readonly string[] {
  return Object.keys(file.kinds);
}

const decoded = new Map<string, Model>();

/** Models are decoded on first use: a render touches a few dozen of the ~650. */
export function model(name: string): Model {
  let m = decoded.get(name);
  if (m) return m;
  const raw = file.models[name];
  if (!raw) throw new Error(`kube-schema.json refers to model ${name} but does not define it: regenerate it`);
  const fields = new Map<string, FieldType>();
  const required: string[] = [];
  for (const [field, encoded] of Object.entries(raw)) {
    const isRequired = encoded.startsWith('!');
    fields.set(field, decodeType(isRequired ? encoded.slice(1) : encoded, name));
    if (isRequired) required.push(field);
  }
  m = { name, fields, fieldNames: [...fields.keys()], required };
  decoded.set(name, m);
  return m;
}

function decodeType(encoded: string, where: string): FieldType {
  if (encoded.startsWith('[') && encoded.endsWith(']')) return { kind: 'list', of: decodeType(encoded.slice(1, -1), where) };
  if (encoded.startsWith('{') && encoded.endsWith('}')) return { kind: 'map', of: decodeType(encoded.slice(1, -1), where) };
  if (SCALARS.has(encoded)) return { kind: 'scalar', scalar: encoded as Scalar };
  if (/^[A-Z]\w+$/.test(encoded)) return { kind: 'model', model: encoded };
  throw new Error(`kube-schema.json: ${where} has a field of unknown type '${encoded}': regenerate it`);
}
