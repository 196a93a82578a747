/**
 * WWW-Authenticate (RFC 9110 §11.6.1), read robustly: several challenges in
 * one header (Node joins repeated headers with ", "), quoted values holding
 * commas, `=` and escaped quotes, token68 credentials, stray whitespace and
 * empty list elements. Registries send
 * `Bearer realm="https://auth.example/token",service="registry.example",scope="repository:a/b:pull,push"`
 * — note the comma inside the scope — and `Basic realm="Registry Realm"`.
 */

export interface Challenge {
  /** Lower-cased: `basic`, `bearer`. */
  scheme: string;
  /** Parameter names lower-cased; values unquoted. The first of a repeated name wins. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const PARAM_START = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+[ \t]*=/;
const TOKEN68 = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_HEADER = 16 * 1024;

/** Splits on commas outside quoted strings. */
function splitElements(header: string): string[] {
  const elements: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < header.length; i++) {
    const c = header[i]!;
    if (quoted && c === '\\' && i + 1 < header.length) {
      current += c + header[i + 1];
      i++;
    } else if (c === '"') {
      quoted = !quoted;
      current += c;
    } else if (c === ',' && !quoted) {
      elements.push(current);
      current = '';
    } else current += c;
  }
  elements.push(current);
  return elements.map((e) => e.trim()).filter((e) => e !== '');
}

/** `name = "value"` or `name=value`; undefined when it is not a parameter. */
function parseParam(text: string): [string, string] | undefined {
  if (!PARAM_START.test(text)) return undefined;
  const name = TOKEN.exec(text)![0];
  let rest = text.slice(name.length).trimStart().slice(1).trimStart();
  if (rest.startsWith('"')) {
    let value = '';
    let i = 1;
    for (; i < rest.length && rest[i] !== '"'; i++) {
      if (rest[i] === '\\' && i + 1 < rest.length) i++;
      value += rest[i];
    }
    return [name.toLowerCase(), value];
  }
  rest = rest.trim();
  return [name.toLowerCase(), rest];
}

export function parseWwwAuthenticate(header: string): Challenge[] {
  const challenges: Challenge[] = [];
  let current: Challenge | undefined;
  const addParam = (param: [string, string]) => {
    if (current && !Object.prototype.hasOwnProperty.call(current.params, param[0])) current.params[param[0]] = param[1];
  };
  for (const element of splitElements(header.slice(0, MAX_HEADER))) {
    const param = parseParam(element);
    if (param) {
      addParam(param);
      continue;
    }
    const scheme = TOKEN.exec(element)?.[0];
    if (!scheme) continue;
    current = { scheme: scheme.toLowerCase(), params: Object.create(null) as Record<string, string> };
    challenges.push(current);
    const rest = element.slice(scheme.length).trim();
    if (rest === '') continue;
    if (TOKEN68.test(rest)) current.token68 = rest;
    else {
      const first = parseParam(rest);
      if (first) addParam(first);
    }
  }
  return challenges;
}

/** The challenge we act on: Bearer when offered (it carries scopes), else Basic. */
export function pickChallenge(challenges: readonly Challenge[]): Challenge | undefined {
  return challenges.find((c) => c.scheme === 'bearer') ?? challenges.find((c) => c.scheme === 'basic');
}
