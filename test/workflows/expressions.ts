import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import type { FunctionDefinition, FunctionInfo } from '@actions/expressions/funcs/info';
import { TokenType as LexemeType, type Token } from '@actions/expressions/lexer';
import { truthy } from '@actions/expressions/result';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/index';
import { isBasicExpression, isBoolean, isLiteral, isMapping, isNumber, isSequence, isString, TokenType } from './actions-parser.js';

/** Every context a workflow can name; each is always present (possibly empty), as on the runner. */
const CONTEXT_NAMES = ['github', 'env', 'vars', 'inputs', 'secrets', 'steps', 'needs', 'jobs', 'matrix', 'strategy', 'job', 'runner'] as const;
export type ContextName = (typeof CONTEXT_NAMES)[number];
export type Contexts = Partial<Record<ContextName, unknown>>;

/** What the status functions answer at the point of evaluation. */
export interface Status {
  success(): boolean;
  failure(): boolean;
}

const NO_FAILURE: Status = { success: () => true, failure: () => false };

/** The value a `${{ }}` evaluation failed on, for the step's log. */
export class ExpressionFailure extends Error {
  override name = 'ExpressionFailure';
}

/**
 * The lexer of @actions/expressions 0.3.61 unescapes only the first `''` of a string literal
 * (`value.replace("''", "'")`), so `format('''{0}''', x)`, which the workflow parser makes of
 * `'${{ x }}'`, would keep a doubled quote. GitHub's runner unescapes them all; so do we.
 */
function lex(expression: string): Token[] {
  return new Lexer(expression).lex().tokens.map((token) =>
    token.type === LexemeType.STRING ? { ...token, value: token.lexeme.slice(1, -1).replaceAll("''", "'") } : token,
  );
}

function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  if (typeof value === 'object') {
    return new data.Dictionary(...Object.entries(value).map(([key, v]) => ({ key, value: toData(v) })));
  }
  throw new ExpressionFailure(`cannot put a ${typeof value} into an expression context`);
}

export function fromData(value: data.ExpressionData): unknown {
  switch (value.kind) {
    case data.Kind.Null:
      return null;
    case data.Kind.String:
    case data.Kind.Boolean:
    case data.Kind.Number:
      return (value as data.StringData | data.BooleanData | data.NumberData).value;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map((p) => [p.key, fromData(p.value)]));
  }
}

/**
 * Evaluates `${{ }}` expressions with @actions/expressions against the runner's contexts,
 * and the parser's tokens (where `a ${{ b }}` already became `format('a {0}', b)`) to values.
 */
export class ExpressionScope {
  private readonly dictionary: data.Dictionary;
  private readonly functions: Map<string, FunctionDefinition>;

  constructor(
    readonly contexts: Contexts,
    readonly status: Status = NO_FAILURE,
  ) {
    this.dictionary = new data.Dictionary(...CONTEXT_NAMES.map((name) => ({ key: name, value: toData(contexts[name] ?? {}) })));
    const fn = (name: string, call: (...args: data.ExpressionData[]) => data.ExpressionData, minArgs = 0, maxArgs = 0): [string, FunctionDefinition] => [
      name.toLowerCase(),
      { name, minArgs, maxArgs, call },
    ];
    this.functions = new Map([
      fn('success', () => new data.BooleanData(status.success())),
      fn('failure', () => new data.BooleanData(status.failure())),
      fn('always', () => new data.BooleanData(true)),
      // Nothing here is ever cancelled.
      fn('cancelled', () => new data.BooleanData(false)),
      fn(
        'hashFiles',
        () => {
          throw new ExpressionFailure('hashFiles() is not supported by the local workflow runner');
        },
        1,
        255,
      ),
    ]);
  }

  /** A scope with some contexts replaced. */
  with(contexts: Contexts, status: Status = this.status): ExpressionScope {
    return new ExpressionScope({ ...this.contexts, ...contexts }, status);
  }

  evaluate(expression: string): data.ExpressionData {
    try {
      const infos: FunctionInfo[] = [...this.functions.values()].map(({ name, minArgs, maxArgs }) => ({ name, minArgs, maxArgs }));
      const tree = new Parser(lex(expression), [...CONTEXT_NAMES], infos).parse();
      return new Evaluator(tree, this.dictionary, this.functions).evaluate();
    } catch (error) {
      if (error instanceof ExpressionFailure) throw error;
      throw new ExpressionFailure(`\${{ ${expression} }}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  /** An `if:` condition, already carrying its status function (see `condition()` in the planner). */
  condition(expression: string): boolean {
    return truthy(this.evaluate(expression));
  }

  /** A token tree as plain values: mappings, sequences, strings, numbers, booleans, null. */
  value(token: TemplateToken): unknown {
    if (isBasicExpression(token)) return fromData(this.evaluate(token.expression));
    if (isString(token) || isNumber(token) || isBoolean(token)) return token.value;
    if (token.templateTokenType === TokenType.Null) return null;
    if (isSequence(token)) return [...token].map((item) => this.value(item));
    if (isMapping(token)) {
      const out: Record<string, unknown> = {};
      for (const pair of token) out[String(this.value(pair.key))] = this.value(pair.value);
      return out;
    }
    throw new ExpressionFailure(`${token.typeName()} is not supported by the local workflow runner`);
  }

  /** A scalar as the runner hands it to a process: expressions coerced as `format()` does, null as empty. */
  string(token: TemplateToken): string {
    if (isBasicExpression(token)) return this.evaluate(token.expression).coerceString();
    if (isString(token)) return token.value;
    if (isNumber(token) || isBoolean(token)) return String(token.value);
    if (token.templateTokenType === TokenType.Null) return '';
    if (isLiteral(token)) return token.toString();
    throw new ExpressionFailure(`expected a string, got a ${token.typeName()}`);
  }

  /** A mapping of strings (`env:`, `with:`), each value evaluated in this scope. */
  strings(token: TemplateToken | undefined): Record<string, string> {
    if (!token) return {};
    if (isBasicExpression(token)) {
      const value = fromData(this.evaluate(token.expression));
      if (value === null) return {};
      if (typeof value !== 'object' || Array.isArray(value)) throw new ExpressionFailure(`\${{ ${token.expression} }} must give a mapping`);
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    }
    if (!isMapping(token)) throw new ExpressionFailure(`expected a mapping, got a ${token.typeName()}`);
    const out: Record<string, string> = {};
    for (const pair of token) out[this.string(pair.key)] = this.string(pair.value);
    return out;
  }
}
