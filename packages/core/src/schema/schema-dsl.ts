/**
 * A small description language for YAML the user writes: the monochart values
 * and gitops.yaml. One description drives the validator, the defaults, the
 * TypeScript types, the JSON Schema editors use and the markdown reference, so
 * none of them can drift from the others. It covers exactly what those files
 * need and nothing more; every node maps onto a draft-07 JSON Schema construct
 * (see json-schema.ts).
 */

/** A regular expression with the words an error message and the reference use for it. */
export interface Pattern {
  readonly regex: string;
  /** Completes "… is not <what>", e.g. "a DNS-1123 label". */
  readonly what: string;
  /** Names the type in the reference and in "expected integer or <short>". */
  readonly short: string;
  readonly example: string;
}

interface Documented {
  readonly description?: string;
  /**
   * Applied when the key is absent (or null). Only leaves (scalars and
   * lists) carry defaults, so "maps merge, lists replace" holds between the
   * defaults and the user's values.
   */
  readonly default?: unknown;
  /** A default computed at render time (documentation only), e.g. "<app>-headless". */
  readonly defaultText?: string;
  /** Said after a type error, e.g. "quote numbers in env values". */
  readonly typeHint?: string;
}

export interface StringNode extends Documented {
  readonly type: 'string';
  readonly enum?: readonly string[];
  readonly pattern?: Pattern;
  readonly minLength?: number;
}

export interface IntegerNode extends Documented {
  readonly type: 'integer';
  readonly minimum?: number;
  readonly maximum?: number;
}

export interface BooleanNode extends Documented {
  readonly type: 'boolean';
}

/** Kubernetes IntOrString: a number (within bounds) or a string matching `pattern`. */
export interface IntOrStringNode extends Documented {
  readonly type: 'int-or-string';
  readonly minimum?: number;
  readonly maximum?: number;
  readonly pattern: Pattern;
}

/** A Kubernetes resource quantity: `500m`, `1Gi`, or a plain number. */
export interface QuantityNode extends Documented {
  readonly type: 'quantity';
}

export interface ObjectNode extends Documented {
  readonly type: 'object';
  readonly properties: Readonly<Record<string, Node>>;
  readonly required?: readonly string[];
  /** Each list: exactly one of these keys must be set (a probe handler, a volume source). */
  readonly exactlyOne?: readonly (readonly string[])[];
  /** Each list: at most one of these keys may be set. */
  readonly atMostOne?: readonly (readonly string[])[];
  /**
   * Always present after defaults are applied (as `{}` when absent), so the
   * defaults of its keys apply even when the user wrote nothing.
   */
  readonly group?: boolean;
  /** Extra words for keys people bring from elsewhere: `{ replicaCount: "use 'replicas'" }`. */
  readonly unknownKeyHints?: Readonly<Record<string, string>>;
  /** Mirrors this Kubernetes type: the reference shows one row instead of every key. */
  readonly kubernetesType?: string;
  /** Emitted once under `definitions` in the JSON Schema and referenced from every use. */
  readonly definition?: string;
}

export interface MapNode extends Documented {
  readonly type: 'map';
  readonly values: Node;
  readonly keys?: Pattern;
  /** Known keys, for "did you mean" when a key does not match `keys`. */
  readonly keySuggestions?: readonly string[];
}

export interface ArrayNode extends Documented {
  readonly type: 'array';
  readonly items: Node;
  readonly minItems?: number;
}

export type Node = StringNode | IntegerNode | BooleanNode | IntOrStringNode | QuantityNode | ObjectNode | MapNode | ArrayNode;

type Opts<N extends Node> = Omit<N, 'type'>;
/** What a constructor called without options adds to its node: nothing (not the whole option type). */
type NoOptions = Record<never, never>;

export const s = {
  string<const O extends Opts<StringNode> = NoOptions>(options: O = {} as O): { readonly type: 'string' } & NoInfer<O> {
    return { type: 'string', ...options };
  },
  integer<const O extends Opts<IntegerNode> = NoOptions>(options: O = {} as O): { readonly type: 'integer' } & NoInfer<O> {
    return { type: 'integer', ...options };
  },
  boolean<const O extends Opts<BooleanNode> = NoOptions>(options: O = {} as O): { readonly type: 'boolean' } & NoInfer<O> {
    return { type: 'boolean', ...options };
  },
  intOrString<const O extends Opts<IntOrStringNode>>(options: O): { readonly type: 'int-or-string' } & NoInfer<O> {
    return { type: 'int-or-string', ...options };
  },
  quantity<const O extends Opts<QuantityNode> = NoOptions>(options: O = {} as O): { readonly type: 'quantity' } & NoInfer<O> {
    return { type: 'quantity', ...options };
  },
  object<const P extends Record<string, Node>, const O extends Omit<Opts<ObjectNode>, 'properties'> = NoOptions>(
    properties: P,
    options: O = {} as O,
  ): { readonly type: 'object'; readonly properties: P } & NoInfer<O> {
    return { type: 'object', properties, ...options };
  },
  map<const V extends Node, const O extends Omit<Opts<MapNode>, 'values'> = NoOptions>(values: V, options: O = {} as O): { readonly type: 'map'; readonly values: V } & NoInfer<O> {
    return { type: 'map', values, ...options };
  },
  array<const I extends Node, const O extends Omit<Opts<ArrayNode>, 'items'> = NoOptions>(items: I, options: O = {} as O): { readonly type: 'array'; readonly items: I } & NoInfer<O> {
    return { type: 'array', items, ...options };
  },
};

type Prettify<T> = { [K in keyof T]: T[K] } & {};

/** Keys that are always present once defaults are applied. */
type PresentKeys<P, R> = {
  [K in keyof P]: K extends R ? K : P[K] extends { default: unknown } ? K : P[K] extends { group: true } ? K : never;
}[keyof P];

/** The TypeScript type of values described by `N`, after defaults are applied. */
export type ValuesOf<N> = N extends { type: 'string'; enum: readonly (infer E)[] }
  ? E
  : N extends { type: 'string' }
    ? string
    : N extends { type: 'integer' }
      ? number
      : N extends { type: 'boolean' }
        ? boolean
        : N extends { type: 'int-or-string' | 'quantity' }
          ? number | string
          : N extends { type: 'array'; items: infer I }
            ? ValuesOf<I>[]
            : N extends { type: 'map'; values: infer V }
              ? Record<string, ValuesOf<V>>
              : N extends { type: 'object'; properties: infer P }
                ? Prettify<
                    { [K in PresentKeys<P, N extends { required: readonly (infer R)[] } ? R : never>]: ValuesOf<P[K]> } & {
                      [K in Exclude<keyof P, PresentKeys<P, N extends { required: readonly (infer R)[] } ? R : never>>]?: ValuesOf<P[K]>;
                    }
                  >
                : never;

/** The JSON-like type words errors and the reference use. */
export function typeWords(node: Node): string {
  switch (node.type) {
    case 'string':
      if (node.enum) return `one of ${node.enum.map((e) => (e === '' ? "''" : e)).join(', ')}`;
      return node.pattern ? `string (${node.pattern.short})` : 'string';
    case 'integer':
      return 'integer';
    case 'boolean':
      return 'boolean';
    case 'int-or-string':
      return `integer or ${node.pattern.short}`;
    case 'quantity':
      return 'quantity';
    case 'object':
      return 'object';
    case 'map':
      return `map of ${typeWords(node.values)}`;
    case 'array':
      return `list of ${typeWords(node.items)}`;
  }
}
