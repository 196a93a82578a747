import { describe, expect, test } from 'vitest';
import { input, parseInputs } from '#core/runtime/inputs.js';
import { InputError } from '#core/errors/errors.js';

const read = (values: Record<string, string>) => (name: string) => values[name] ?? '';

describe('parseInputs', () => {
  const specs = {
    name: input.string({ required: true }),
    mode: input.oneOf(['auto', 'docker', 'buildah'], { default: 'auto' }),
    push: input.boolean({ default: 'true' }),
    tags: input.list(),
    'build-args': input.keyValues(),
    retries: input.integer({ default: '3', min: 0, max: 10 }),
    token: input.string({ secret: true }),
  };

  test('typed values with defaults applied', () => {
    const secrets: string[] = [];
    const parsed = parseInputs(
      specs,
      read({ name: ' app ', tags: 'a\n\n  b  \n# comment\nc,d', 'build-args': 'A=1\nB=x=y', token: 's3cret' }),
      (s) => secrets.push(s),
    );
    expect(parsed).toEqual({
      name: 'app',
      mode: 'auto',
      push: true,
      tags: ['a', 'b', 'c,d'],
      'build-args': { A: '1', B: 'x=y' },
      retries: 3,
      token: 's3cret',
    });
    expect(secrets).toEqual(['s3cret']);
  });

  test('an enum error names the input and lists the valid values', () => {
    expect(() => parseInputs(specs, read({ name: 'x', mode: 'dokcer' }))).toThrow(
      new InputError("input 'mode' must be one of auto, docker, buildah (got 'dokcer')"),
    );
  });

  test.each([
    [{ push: 'yes' }, "input 'push' must be true or false (got 'yes')"],
    [{ 'build-args': 'NOEQUALS' }, "input 'build-args': each line must be KEY=VALUE (got 'NOEQUALS')"],
    [{ 'build-args': 'A=1\nA=2' }, "input 'build-args': key 'A' is given twice"],
    [{ retries: '11' }, "input 'retries' must be a whole number from 0 to 10 (got '11')"],
    [{ retries: '1.5' }, "input 'retries' must be a whole number from 0 to 10 (got '1.5')"],
  ])('%j', (values, message) => {
    expect(() => parseInputs(specs, read({ name: 'x', ...values }))).toThrow(message);
  });

  test('booleans accept the YAML 1.2 core forms', () => {
    for (const t of ['true', 'True', 'TRUE']) expect(parseInputs(specs, read({ name: 'x', push: t })).push).toBe(true);
    for (const f of ['false', 'False', 'FALSE']) expect(parseInputs(specs, read({ name: 'x', push: f })).push).toBe(false);
  });

  test('all problems are reported at once', () => {
    expect(() => parseInputs(specs, read({ mode: 'x', push: 'y' }))).toThrow(
      "3 inputs are wrong:\n- input 'name' is required\n- input 'mode' must be one of auto, docker, buildah (got 'x')\n- input 'push' must be true or false (got 'y')",
    );
  });

  test('long bad values are shortened in the message', () => {
    expect(() => parseInputs(specs, read({ name: 'x', mode: 'y'.repeat(200) }))).toThrow(/\(got 'y{77}\.\.\.'\)/);
  });
});

describe('parseInputs with the gitops.yaml layer', () => {
  const specs = {
    app: input.string({ required: 'or-config' }),
    source: input.string({ required: true }),
    chart: input.string({ fallback: 'builtin:monochart' }),
    validate: input.boolean({ fallback: 'true' }),
    branches: input.list({ fallback: 'main\nmaster\n' }),
    timeout: input.integer({ fallback: '90', min: 1, max: 3600 }),
    output: input.string({ default: 'out' }),
  };
  const configured = (inputs: Record<string, string>) => ({ file: 'deploy/gitops.yaml', inputs });

  test('explicit beats the file, the file beats the built-in default', () => {
    const parsed = parseInputs(
      specs,
      read({ source: 'rendered', chart: 'k8s' }),
      undefined,
      configured({ app: 'verity-api', chart: 'oci://ghcr.io/acme/chart', validate: 'false', timeout: '30' }),
    );
    expect(parsed).toEqual({ app: 'verity-api', source: 'rendered', chart: 'k8s', validate: false, branches: ['main', 'master'], timeout: 30, output: 'out' });
  });

  test('without a file the fallback is the default; an explicit false stays false', () => {
    expect(parseInputs(specs, read({ app: 'a', source: 's', validate: 'false' }))).toMatchObject({ chart: 'builtin:monochart', validate: false, timeout: 90 });
  });

  test("a required input the file may give: the usual message, and where else it can come from when a file was given", () => {
    expect(() => parseInputs(specs, read({}))).toThrow("2 inputs are wrong:\n- input 'app' is required\n- input 'source' is required");
    expect(() => parseInputs(specs, read({}), undefined, configured({}))).toThrow(
      "2 inputs are wrong:\n- input 'app' is required (or set it in deploy/gitops.yaml)\n- input 'source' is required",
    );
  });

  test("a bad value from the file says where it was set; the workflow's own value is not blamed on the file", () => {
    expect(() => parseInputs(specs, read({ source: 's' }), undefined, configured({ app: 'a', timeout: '0' }))).toThrow(
      "input 'timeout' must be a whole number from 1 to 3600 (got '0') (set in deploy/gitops.yaml)",
    );
    expect(() => parseInputs(specs, read({ source: 's', timeout: '0' }), undefined, configured({ app: 'a', timeout: '30' }))).toThrow(
      "input 'timeout' must be a whole number from 1 to 3600 (got '0')",
    );
  });

  test('secrets are registered whichever layer gives them', () => {
    const secrets: string[] = [];
    parseInputs({ token: input.string({ secret: true }) }, read({}), (s) => secrets.push(s), configured({ token: 'from-file' }));
    expect(secrets).toEqual(['from-file']);
  });
});
