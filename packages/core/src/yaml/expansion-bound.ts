import { YamlError } from './yaml-error.js';

/**
 * js-yaml returns an alias as a second reference to the anchored value, so an
 * alias bomb (each level a list of nine aliases to the level below) loads in
 * milliseconds and only explodes later, in whatever walks or serialises it:
 * nine levels are 9^9 ≈ 387 million values. This walk counts values the way
 * every later consumer will see them, each visit through an alias counting
 * again, and gives up as soon as the count passes the limit, so its time and
 * memory are bounded by the limit and not by the expansion.
 *
 * It also measures nesting with aliases expanded (an alias can hang a deep
 * subtree under a deep node, which the parser's own depth check cannot see)
 * and rejects cycles (`a: &x [*x]` loads as an array that contains itself).
 */
export function assertBoundedExpansion(
  documents: readonly unknown[],
  limits: { maxNodes: number; maxDepth: number },
  file: string,
): void {
  // An explicit stack, not recursion: maxDepth is the caller's to raise.
  // depth >= 0: visit `value` at that depth; depth < 0: leave `value` (pop it off the path).
  const values: unknown[] = [];
  const depths: number[] = [];
  const onPath = new Set<object>();
  let count = 0;
  for (let d = documents.length - 1; d >= 0; d -= 1) {
    values.push(documents[d]);
    depths.push(0);
  }
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    if (depth < 0) {
      onPath.delete(value as object);
      continue;
    }
    count += 1;
    if (count > limits.maxNodes) {
      throw new YamlError(
        file,
        `alias expansion too large: with its aliases (*name) expanded the YAML holds more than ${limits.maxNodes} values (an alias bomb?)`,
      );
    }
    if (value === null || typeof value !== 'object') continue;
    const level = depth + 1;
    if (level > limits.maxDepth) {
      throw new YamlError(file, `nesting deeper than ${limits.maxDepth} levels of maps and lists (aliases expanded)`);
    }
    if (onPath.has(value)) {
      throw new YamlError(file, 'an alias (*name) refers to a map or list that contains it; such a cycle cannot be expanded');
    }
    onPath.add(value);
    values.push(value);
    depths.push(-1);
    const children = Array.isArray(value) ? value : Object.values(value);
    for (let i = children.length - 1; i >= 0; i -= 1) {
      values.push(children[i]);
      depths.push(level);
    }
  }
}
