// Pure generation of the README usage tables from action.yml (DESIGN.md §3.10).
// No file system access here, so the tests can drive it with strings.
import { load } from 'js-yaml';

const KINDS = /** @type {const} */ (['inputs', 'outputs']);

/**
 * Parses an action.yml and returns its inputs and outputs in declaration order.
 * @param {string} text
 * @param {string} source shown in error messages, e.g. `actions/version/action.yml`
 */
export function parseActionYaml(text, source) {
  let doc;
  try {
    doc = load(text);
  } catch (error) {
    throw new Error(`${source}: not valid YAML: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!isRecord(doc)) throw new Error(`${source}: expected a mapping at the top level`);
  return {
    inputs: entries(doc.inputs, 'inputs', source).map(([name, spec]) => ({
      name,
      description: optionalString(spec.description, `${source}: inputs.${name}.description`),
      required: spec.required === true || spec.required === 'true',
      default: spec.default === undefined || spec.default === null ? undefined : String(spec.default),
    })),
    outputs: entries(doc.outputs, 'outputs', source).map(([name, spec]) => ({
      name,
      description: optionalString(spec.description, `${source}: outputs.${name}.description`),
    })),
  };
}

/** @param {{ inputs: Array<{name: string, description: string, required: boolean, default?: string}> }} action */
export function inputsTable(action) {
  if (action.inputs.length === 0) return '_This action has no inputs._';
  const rows = action.inputs.map((input) => [
    codeSpan(input.name),
    defaultCell(input),
    textCell(input.description),
  ]);
  return table(['name', 'default', 'description'], rows);
}

/** @param {{ outputs: Array<{name: string, description: string}> }} action */
export function outputsTable(action) {
  if (action.outputs.length === 0) return '_This action has no outputs._';
  const rows = action.outputs.map((output) => [codeSpan(output.name), textCell(output.description)]);
  return table(['name', 'description'], rows);
}

export function startMarker(kind, name) {
  return `<!-- ${kind}:${name}:start -->`;
}

export function endMarker(kind, name) {
  return `<!-- ${kind}:${name}:end -->`;
}

/**
 * Replaces the content between every pair of markers with the generated table.
 * @param {string} readme the current README text
 * @param {Map<string, ReturnType<typeof parseActionYaml>>} actions by action name
 * @returns {{ content: string, stale: string[], errors: string[] }} `stale` lists the
 *   blocks (`inputs:version`) whose content changed; `errors` what cannot be fixed by writing.
 */
export function updateReadme(readme, actions) {
  const errors = [];
  const stale = [];
  let content = readme;

  // Markers for actions that do not exist (renamed or removed) are an error, not silently kept.
  const markerPattern = /<!-- (inputs|outputs):([^:\s]+):(start|end) -->/g;
  for (const match of readme.matchAll(markerPattern)) {
    const name = match[2];
    if (!actions.has(name)) {
      errors.push(`README.md has ${match[0]} but there is no actions/${name}/action.yml`);
    }
  }

  for (const [name, action] of actions) {
    for (const kind of KINDS) {
      const start = startMarker(kind, name);
      const end = endMarker(kind, name);
      const startAt = indexOfOnly(content, start);
      const endAt = indexOfOnly(content, end);
      if (startAt === -1 || endAt === -1) {
        errors.push(
          `README.md needs exactly one ${start} and one ${end} (found ${count(content, start)} and ${count(content, end)}); ` +
            `add them where the ${kind} table of '${name}' belongs`,
        );
        continue;
      }
      if (endAt < startAt) {
        errors.push(`README.md has ${end} before ${start}`);
        continue;
      }
      const generated = kind === 'inputs' ? inputsTable(action) : outputsTable(action);
      const block = `\n${generated}\n`;
      const current = content.slice(startAt + start.length, endAt);
      if (current !== block) {
        stale.push(`${kind}:${name}`);
        content = content.slice(0, startAt + start.length) + block + content.slice(endAt);
      }
    }
  }
  return { content, stale, errors };
}

// --- cells -----------------------------------------------------------------------------

function table(header, rows) {
  const line = (cells) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

function defaultCell(input) {
  const value = input.default ?? '';
  const lines = value
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');
  if (lines.length === 0) return input.required ? '_required_' : '';
  return lines.map(codeSpan).join('<br>');
}

/** A description as one table cell: newlines collapsed, pipes escaped, stray `<` not taken as HTML. */
export function textCell(text) {
  const s = text.replace(/\s+/g, ' ').trim();
  let out = '';
  let prose = 0; // start of the prose not yet emitted
  let i = 0;
  while (i < s.length) {
    if (s[i] !== '`') {
      i += 1;
      continue;
    }
    const run = runLength(s, i);
    const close = findClosingRun(s, i + run, run);
    if (close === -1) {
      i += run; // unmatched backticks are literal text
      continue;
    }
    // A code span keeps its text verbatim; only the pipe needs escaping inside it, which
    // GitHub's table parser undoes before inline parsing.
    out += escapeProse(s.slice(prose, i)) + escapePipes(s.slice(i, close + run));
    i = close + run;
    prose = i;
  }
  return out + escapeProse(s.slice(prose));
}

function runLength(s, at) {
  let end = at;
  while (s[end] === '`') end += 1;
  return end - at;
}

/** Where a backtick run of exactly `length` starts at or after `from`; -1 when none. */
function findClosingRun(s, from, length) {
  for (let i = from; i < s.length; ) {
    if (s[i] !== '`') {
      i += 1;
      continue;
    }
    const run = runLength(s, i);
    if (run === length) return i;
    i += run;
  }
  return -1;
}

/** A literal value as an inline code span, with a fence that its content cannot close. */
export function codeSpan(value) {
  const longestRun = Math.max(0, ...Array.from(value.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = longestRun > 0 ? ' ' : '';
  return escapePipes(`${fence}${pad}${value}${pad}${fence}`);
}

function escapePipes(text) {
  return text.replace(/\|/g, '\\|');
}

function escapeProse(text) {
  return escapePipes(text).replace(/</g, '&lt;');
}

// --- helpers ---------------------------------------------------------------------------

function isRecord(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(section, kind, source) {
  if (section === undefined || section === null) return [];
  if (!isRecord(section)) throw new Error(`${source}: '${kind}' must be a mapping`);
  return Object.entries(section).map(([name, spec]) => {
    if (spec === null || spec === undefined) return [name, {}];
    if (!isRecord(spec)) throw new Error(`${source}: ${kind}.${name} must be a mapping`);
    return [name, spec];
  });
}

function optionalString(value, where) {
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new Error(`${where} must be a string`);
  return value;
}

function count(text, needle) {
  return text.split(needle).length - 1;
}

function indexOfOnly(text, needle) {
  return count(text, needle) === 1 ? text.indexOf(needle) : -1;
}
