export const id = 93;
export const ids = [93];
export const modules = {

/***/ 8093:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  DEFAULT_CONFIG_FILE: () => (/* binding */ DEFAULT_CONFIG_FILE),
  loadGitopsConfig: () => (/* binding */ loadGitopsConfig)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/errors/errors.ts
var errors = __webpack_require__(1254);
// EXTERNAL MODULE: ./packages/core/src/schema/did-you-mean.ts
var did_you_mean = __webpack_require__(2222);
;// CONCATENATED MODULE: ./packages/core/src/schema/k8s-patterns.ts
/**
 * The Kubernetes name grammars the values use, written so the same regular
 * expression works in our validator and in an editor's JSON Schema engine
 * (ECMA-262, lengths folded into the expression where the API server limits them).
 */
const LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS_LABEL = {
    regex: '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$',
    what: "a DNS-1123 label (at most 63 lower-case letters, digits and '-', starting and ending with a letter or digit)",
    short: 'DNS-1123 label',
    example: 'verity-api',
};
const DNS_SUBDOMAIN = {
    regex: `^(?=.{1,253}$)${LABEL}(\\.${LABEL})*$`,
    what: "a DNS-1123 subdomain (lower-case letters, digits, '-' and '.', at most 253)",
    short: 'DNS-1123 subdomain',
    example: 'verity-api-settings',
};
/** IANA_SVC_NAME: Service ports, probes and ServiceMonitors refer to container ports by it. */
const PORT_NAME = {
    regex: '^(?=.{1,15}$)(?=.*[a-z])[a-z0-9]+(-[a-z0-9]+)*$',
    what: "a port name (at most 15 lower-case letters, digits and single '-', with at least one letter)",
    short: 'port name',
    example: 'http',
};
const QUALIFIED_NAME = {
    regex: `^(${LABEL}(\\.${LABEL})*/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$`,
    what: "a label or annotation key ([prefix/]name, the name at most 63 letters, digits, '-', '_' or '.')",
    short: 'label key',
    example: 'app.kubernetes.io/component',
};
const LABEL_VALUE = {
    regex: '^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$',
    what: "a label value (at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit)",
    short: 'label value',
    example: 'backend',
};
const ENV_NAME = {
    regex: '^[-._a-zA-Z][-._a-zA-Z0-9]*$',
    what: "an environment variable name (letters, digits, '_', '-' and '.', not starting with a digit)",
    short: 'variable name',
    example: 'LOG_LEVEL',
};
const CONFIG_KEY = {
    regex: '^[-._a-zA-Z0-9]{1,253}$',
    what: "a ConfigMap key (letters, digits, '-', '_' and '.')",
    short: 'ConfigMap key',
    example: 'application.yaml',
};
const ABSOLUTE_PATH = { regex: '^/', what: "an absolute path (starting with '/')", short: 'absolute path', example: '/etc/verity' };
const RELATIVE_PATH = {
    regex: '^(?!/)(?!\\.\\.(/|$))(?!.*/\\.\\.(/|$)).+$',
    what: "a relative path without '..'",
    short: 'relative path',
    example: 'config/application.yaml',
};
const HTTP_PATH = { regex: '^/', what: "an HTTP path (starting with '/')", short: 'HTTP path', example: '/healthz' };
const HOSTNAME = {
    regex: `^(\\*\\.)?${LABEL}(\\.${LABEL})*$`,
    what: "a host name (lower-case DNS name, optionally starting with '*.')",
    short: 'host name',
    example: 'api.example.com',
};
const QUANTITY = {
    regex: '^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?$',
    what: 'a quantity like 250m, 0.5, 512Mi or 2Gi',
    short: 'quantity',
    example: '512Mi',
};
const PERCENT = { regex: '^[0-9]+%$', what: 'a percentage like 25%', short: 'percentage', example: '25%' };
const RESOURCE_NAME = {
    regex: `^(cpu|memory|ephemeral-storage|hugepages-[0-9]+[KMG]i|${LABEL}(\\.${LABEL})*/[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$`,
    what: 'a resource name (cpu, memory, ephemeral-storage, hugepages-<size> or <domain>/<name>)',
    short: 'resource name',
    example: 'memory',
};
const CAPABILITY = {
    regex: '^(?!CAP_)[A-Z][A-Z_]*$',
    what: 'a Linux capability in upper case without the CAP_ prefix',
    short: 'capability',
    example: 'NET_BIND_SERVICE',
};
/** The Prometheus operator's Duration. */
const DURATION = {
    regex: '^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$',
    what: 'a duration like 30s, 1m or 1m30s',
    short: 'duration',
    example: '30s',
};
const CRON_SCHEDULE = {
    regex: '^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|\\S+( \\S+){4})$',
    what: "a cron schedule of five fields separated by single spaces (no TZ= prefix: use 'timeZone') or @hourly, @daily, …",
    short: 'cron schedule',
    example: '0 3 * * *',
};
const TIME_ZONE = {
    regex: '^[A-Za-z][A-Za-z0-9_+-]*(/[A-Za-z0-9_+-]+)*$',
    what: 'an IANA time zone name',
    short: 'time zone',
    example: 'Europe/Berlin',
};
const CIDR = { regex: '^[0-9a-fA-F:.]+/[0-9]{1,3}$', what: 'a CIDR range', short: 'CIDR', example: '10.0.0.0/8' };
/** Loose on purpose: the reference grammar is checked in full (registry/reference.ts) after this. */
const IMAGE_REFERENCE = {
    regex: '^\\S+$',
    what: 'an image reference without spaces',
    short: 'image reference',
    example: 'public.ecr.aws/aws-observability/aws-otel-collector:v0.40.0',
};
function matches(pattern, text) {
    return compiled(pattern).test(text);
}
const cache = new Map();
function compiled(pattern) {
    let re = cache.get(pattern.regex);
    if (!re) {
        re = new RegExp(pattern.regex, 'u');
        cache.set(pattern.regex, re);
    }
    return re;
}

;// CONCATENATED MODULE: ./packages/core/src/schema/schema-dsl.ts
/**
 * A small description language for YAML the user writes: the monochart values
 * and gitops.yaml. One description drives the validator, the defaults, the
 * TypeScript types, the JSON Schema editors use and the markdown reference, so
 * none of them can drift from the others. It covers exactly what those files
 * need and nothing more; every node maps onto a draft-07 JSON Schema construct
 * (see json-schema.ts).
 */
const s = {
    string(options = {}) {
        return { type: 'string', ...options };
    },
    integer(options = {}) {
        return { type: 'integer', ...options };
    },
    boolean(options = {}) {
        return { type: 'boolean', ...options };
    },
    intOrString(options) {
        return { type: 'int-or-string', ...options };
    },
    quantity(options = {}) {
        return { type: 'quantity', ...options };
    },
    object(properties, options = {}) {
        return { type: 'object', properties, ...options };
    },
    map(values, options = {}) {
        return { type: 'map', values, ...options };
    },
    array(items, options = {}) {
        return { type: 'array', items, ...options };
    },
};
/** The JSON-like type words errors and the reference use. */
function typeWords(node) {
    switch (node.type) {
        case 'string':
            if (node.enum)
                return `one of ${node.enum.map((e) => (e === '' ? "''" : e)).join(', ')}`;
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

// EXTERNAL MODULE: ./packages/core/src/schema/value-path.ts
var value_path = __webpack_require__(7622);
;// CONCATENATED MODULE: ./packages/core/src/schema/check-values.ts




function isPlainObject(value) {
    return typeof value === 'object' && value !== null && !Array.isArray(value);
}
/** The JSON type name a user recognises from their YAML. */
function typeName(value) {
    if (value === null)
        return 'null';
    if (Array.isArray(value))
        return 'list';
    if (typeof value === 'object')
        return 'object';
    return typeof value;
}
/**
 * The structural check: everything the JSON Schema says, and nothing else,
 * so an editor and this validator agree (a test holds them to it). Checks
 * that relate several keys to each other live in semantic-checks.ts.
 */
function checkValues(root, value) {
    const problems = [];
    check(root, value, '', problems, keyIndex(root));
    return problems;
}
/** The schema is a constant: index it once, not once per render. */
const keyIndexes = new WeakMap();
function check(node, value, path, problems, index) {
    const at = path || 'values';
    const wrongType = (expected = typeWords(node)) => {
        problems.push({ path: at, message: `expected ${expected}, got ${typeName(value)}${node.typeHint ? ` (${node.typeHint})` : ''}` });
    };
    switch (node.type) {
        case 'string': {
            if (typeof value !== 'string')
                return wrongType();
            if (node.enum && !node.enum.includes(value)) {
                const guess = (0,did_you_mean/* closest */.k)(value, node.enum);
                problems.push({ path: at, message: `expected ${typeWords(node)}, got '${value}'${guess ? ` (did you mean '${guess}'?)` : ''}` });
            }
            else if (node.pattern && !matches(node.pattern, value)) {
                problems.push({ path: at, message: notMatching(value, node.pattern) });
            }
            else if (node.minLength !== undefined && value.length < node.minLength) {
                problems.push({ path: at, message: 'must not be empty' });
            }
            return;
        }
        case 'integer':
            if (typeof value !== 'number' || !Number.isInteger(value))
                return wrongType();
            return checkRange(node, value, at, problems);
        case 'boolean':
            if (typeof value !== 'boolean')
                return wrongType();
            return;
        case 'int-or-string':
            if (typeof value === 'number' && Number.isInteger(value))
                return checkRange(node, value, at, problems);
            if (typeof value === 'string') {
                if (!matches(node.pattern, value))
                    problems.push({ path: at, message: notMatching(value, node.pattern) });
                return;
            }
            return wrongType();
        case 'quantity':
            if (typeof value === 'number' && Number.isFinite(value))
                return;
            if (typeof value === 'string') {
                if (!matches(QUANTITY, value))
                    problems.push({ path: at, message: notMatching(value, QUANTITY) });
                return;
            }
            return wrongType(`${QUANTITY.what}`);
        case 'array':
            if (!Array.isArray(value))
                return wrongType('list');
            if (node.minItems !== undefined && value.length < node.minItems) {
                problems.push({ path: at, message: `needs at least ${node.minItems} ${node.minItems === 1 ? 'entry' : 'entries'}` });
            }
            value.forEach((item, i) => check(node.items, item, (0,value_path/* childPath */.cm)(path, i), problems, index));
            return;
        case 'map':
            if (!isPlainObject(value))
                return wrongType('object');
            for (const [key, v] of Object.entries(value)) {
                if (v === null)
                    continue;
                if (node.keys && !matches(node.keys, key)) {
                    const guess = node.keySuggestions ? (0,did_you_mean/* closest */.k)(key, node.keySuggestions) : undefined;
                    problems.push({ path: (0,value_path/* childPath */.cm)(path, key), message: `key ${notMatching(key, node.keys)}${guess ? ` (did you mean '${guess}'?)` : ''}` });
                    continue;
                }
                check(node.values, v, (0,value_path/* childPath */.cm)(path, key), problems, index);
            }
            return;
        case 'object':
            if (!isPlainObject(value))
                return wrongType('object');
            return checkObject(node, value, path, problems, index);
    }
}
function checkObject(node, value, path, problems, index) {
    const known = Object.keys(node.properties);
    for (const [key, v] of Object.entries(value)) {
        const child = node.properties[key];
        if (!child) {
            problems.push({ path: (0,value_path/* childPath */.cm)(path, key), message: unknownKey(key, node, known, index) });
            continue;
        }
        // null unsets a key (helm's layering deletes it), so the chart's default applies; required keys stay required.
        if (v === null && !node.required?.includes(key))
            continue;
        check(child, v, (0,value_path/* childPath */.cm)(path, key), problems, index);
    }
    for (const key of node.required ?? []) {
        if (value[key] === undefined || value[key] === null)
            problems.push({ path: (0,value_path/* childPath */.cm)(path, key), message: 'is required' });
    }
    const present = (keys) => keys.filter((k) => value[k] !== undefined && value[k] !== null);
    for (const group of node.exactlyOne ?? []) {
        const set = present(group);
        if (set.length !== 1) {
            problems.push({ path: path || 'values', message: `set exactly one of ${group.join(', ')} (found ${set.length ? set.join(' and ') : 'none'})` });
        }
    }
    for (const group of node.atMostOne ?? []) {
        const set = present(group);
        if (set.length > 1)
            problems.push({ path: path || 'values', message: `set at most one of ${group.join(', ')} (found ${set.join(' and ')})` });
    }
}
function unknownKey(key, node, known, index) {
    const hint = node.unknownKeyHints?.[key];
    if (hint)
        return hint.startsWith('did you mean') ? `unknown key, ${hint}` : `unknown key: ${hint}`;
    const guess = (0,did_you_mean/* closest */.k)(key, known);
    if (guess)
        return `unknown key, did you mean '${guess}'?`;
    const elsewhere = index.get(key);
    if (elsewhere?.length)
        return `unknown key here; '${key}' belongs in ${elsewhere.slice(0, 3).join(', ')}`;
    return `unknown key; expected one of ${known.join(', ')}`;
}
function checkRange(node, value, at, problems) {
    const { minimum: min, maximum: max } = node;
    if ((min !== undefined && value < min) || (max !== undefined && value > max)) {
        const range = min !== undefined && max !== undefined ? `from ${min} to ${max}` : min !== undefined ? `of at least ${min}` : `of at most ${max}`;
        problems.push({ path: at, message: `expected an integer ${range}, got ${value}` });
    }
}
function notMatching(text, pattern) {
    return `'${text.length > 80 ? `${text.slice(0, 77)}...` : text}' is not ${pattern.what}, e.g. '${pattern.example}'`;
}
/** Where each key name is valid, as schema paths (`containers[].resources`), for "belongs in" hints. */
function keyIndex(root) {
    const known = keyIndexes.get(root);
    if (known)
        return known;
    const index = new Map();
    const seen = new Set();
    const walk = (node, path) => {
        if (seen.has(node))
            return;
        seen.add(node);
        if (node.type === 'object') {
            for (const [key, child] of Object.entries(node.properties)) {
                const p = path ? `${path}.${key}` : key;
                index.set(key, [...(index.get(key) ?? []), p]);
                walk(child, p);
            }
        }
        else if (node.type === 'array')
            walk(node.items, `${path}[]`);
        else if (node.type === 'map')
            walk(node.values, `${path}.<name>`);
    };
    walk(root, '');
    keyIndexes.set(root, index);
    return index;
}

;// CONCATENATED MODULE: ./packages/core/src/schema/apply-defaults.ts

/**
 * Values with the description's defaults applied, in a canonical shape:
 * object keys in the description's order, map keys sorted, list entries as
 * given. A default fills an absent key; `null` counts as absent, as after
 * helm's layering, where a null deletes the key. Only leaves carry defaults,
 * so this is exactly "maps merge, lists replace" with the defaults
 * underneath. The canonical order is what makes the rendered output
 * independent of the order keys were written in.
 *
 * Expects values that passed checkValues.
 */
function applyDefaults(node, value) {
    switch (node.type) {
        case 'object': {
            const given = isPlainObject(value) ? value : {};
            const out = {};
            for (const [key, child] of Object.entries(node.properties)) {
                const v = given[key];
                if (v !== undefined && v !== null)
                    out[key] = applyDefaults(child, v);
                // Only objects and lists need a copy: the result is the caller's to change.
                else if (child.default !== undefined)
                    out[key] = applyDefaults(child, typeof child.default === 'object' ? structuredClone(child.default) : child.default);
                else if (child.type === 'object' && child.group)
                    out[key] = applyDefaults(child, {});
            }
            return out;
        }
        case 'map': {
            const given = isPlainObject(value) ? value : {};
            const out = {};
            for (const key of Object.keys(given).sort(compareText)) {
                if (given[key] !== null && given[key] !== undefined)
                    out[key] = applyDefaults(node.values, given[key]);
            }
            return out;
        }
        case 'array':
            return Array.isArray(value) ? value.map((item) => applyDefaults(node.items, item)) : value;
        default:
            return value;
    }
}
/** Code-unit order: the same on every machine, unlike localeCompare. */
function compareText(a, b) {
    return a < b ? -1 : a > b ? 1 : 0;
}
function deepFreeze(value) {
    if (typeof value === 'object' && value !== null) {
        for (const v of Object.values(value))
            deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}

// EXTERNAL MODULE: ./packages/core/src/yaml/load-yaml.ts + 2 modules
var load_yaml = __webpack_require__(8800);
;// CONCATENATED MODULE: ./packages/core/src/argocd/argocd-url.ts

function parseArgoCdUrl(raw, insecure, name = 'argocd-url') {
    let url;
    try {
        url = new URL(raw.trim());
    }
    catch {
        throw new errors/* InputError */.dz(`input '${name}' must be the Argo CD server's URL, e.g. https://argocd.example.com (got '${shorten(raw)}')`);
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
        throw new errors/* InputError */.dz(`input '${name}' must be an https:// URL (got ${url.protocol}//…)`);
    }
    if (url.protocol === 'http:' && !insecure) {
        throw new errors/* InputError */.dz(`input '${name}' is plain http (${url.host}): the token would cross the network unencrypted. Use https://, or set 'insecure: true' for a test cluster`);
    }
    if (url.username || url.password)
        throw new errors/* InputError */.dz(`input '${name}' must not carry credentials; pass the token as 'argocd-token'`);
    if (url.search || url.hash)
        throw new errors/* InputError */.dz(`input '${name}' must not have a query or fragment (got '${shorten(url.origin + url.pathname)}…')`);
    const base = new URL(url.href.replace(/\/+$/, ''));
    return { base, insecure };
}
/** `GET /api/v1/applications/{name}` under the server's base path. */
function applicationUrl(server, application, query = {}) {
    return apiUrl(server, `/api/v1/applications/${encodeURIComponent(application)}`, query);
}
/** `GET /api/v1/applications/{name}/manifests`: the manifests Argo CD generates for the Application (at `?revision=`). */
function applicationManifestsUrl(server, application, query = {}) {
    return apiUrl(server, `/api/v1/applications/${encodeURIComponent(application)}/manifests`, query);
}
function apiUrl(server, path, query) {
    const url = new URL(`${server.base.href.replace(/\/+$/, '')}${path}`);
    for (const [key, value] of Object.entries(query))
        url.searchParams.set(key, value);
    return url;
}
function shorten(raw) {
    return raw.length > 80 ? `${raw.slice(0, 77)}...` : raw;
}

// EXTERNAL MODULE: ./packages/core/src/config/merge-environment.ts
var merge_environment = __webpack_require__(7836);
;// CONCATENATED MODULE: ./packages/core/src/config/config-checks.ts





/**
 * What the JSON Schema cannot say about gitops.yaml: environments that refer
 * to each other, settings that only make sense once an environment is merged
 * with the top level, and two environments fighting over one directory.
 * Runs on a file that passed the structural check.
 */
function checkConfigSemantics(config) {
    const problems = [];
    const seen = new Set();
    const problem = (path, message) => {
        const key = `${path}\u0000${message}`;
        if (seen.has(key))
            return; // a top-level setting merged into every environment is reported once
        seen.add(key);
        problems.push({ path, message });
    };
    const names = Object.keys(config.environments);
    if (names.length === 0)
        problem('environments', 'needs at least one environment, e.g. staging');
    for (const name of names) {
        if (name.includes('--')) {
            problem((0,merge_environment/* environmentPath */.F)(name), "an environment name must not contain '--': the GitOps directory <app>--<environment> is read back by splitting at the last '--'");
        }
    }
    checkPromotions(config, names, problem);
    checkRepository(config.gitops?.repository, (0,value_path/* childPath */.cm)('gitops', 'repository'), problem);
    checkValuesLines(config.values, 'values', problem);
    const targets = new Map();
    for (const name of names) {
        const env = config.environments[name];
        const at = (0,merge_environment/* environmentPath */.F)(name);
        checkRepository(env.gitops?.repository, (0,value_path/* childPath */.cm)((0,value_path/* childPath */.cm)(at, 'gitops'), 'repository'), problem);
        checkValuesLines(env.values, (0,value_path/* childPath */.cm)(at, 'values'), problem);
        const merged = (0,merge_environment/* mergeEnvironment */.e)(config, name);
        const { repository, branch, path } = merged.gitops;
        // A URL with credentials is reported above, and must not be repeated in another message.
        if (repository && !hasCredentials(repository)) {
            const directory = path ?? `${config.app}--${name}`;
            const target = `${normaliseRepository(repository)}\u0000${branch ?? ''}\u0000${directory}`;
            const other = targets.get(target);
            if (other) {
                problem((0,value_path/* childPath */.cm)(at, 'gitops'), `writes the same directory as environment '${other}' (${repository}${branch ? `, branch ${branch}` : ''}, path ${directory}): each directory in a GitOps repository belongs to exactly one app and environment`);
            }
            else
                targets.set(target, name);
        }
        if (merged.argocd)
            checkArgocd(merged.argocd, merged.argocdPath, problem);
    }
    return problems;
}
function checkArgocd(argocd, at, problem) {
    if (argocd['create-application'] !== false && !argocd.destination) {
        problem(at, "needs 'destination': the cluster's API server URL (e.g. https://kubernetes.default.svc) or its name in Argo CD " +
            '(or create-application: false when something else creates the Application)');
    }
    if (argocd.url !== undefined) {
        // The wait step's own check, so a file that passes here does not fail there.
        try {
            parseArgoCdUrl(argocd.url, argocd.insecure === true, 'url');
        }
        catch (e) {
            if (!(e instanceof errors/* InputError */.dz))
                throw e;
            problem((0,value_path/* childPath */.cm)(at, 'url'), e.message.replace(/^input 'url' /, '').replace("pass the token as 'argocd-token'", "give the token to the action's 'argocd-token' input from a secret"));
        }
    }
}
function checkPromotions(config, names, problem) {
    const known = `environments: ${names.join(', ')}`;
    const edges = new Map();
    for (const name of names) {
        const from = config.environments[name]['promote-from'];
        if (from === undefined)
            continue;
        const at = (0,value_path/* childPath */.cm)((0,merge_environment/* environmentPath */.F)(name), 'promote-from');
        if (from === name)
            problem(at, 'an environment cannot promote from itself');
        else if (!config.environments[from]) {
            const guess = (0,did_you_mean/* closest */.k)(from, names);
            problem(at, `no environment is called '${from}'${guess ? `, did you mean '${guess}'?` : ''} (${known})`);
        }
        else
            edges.set(name, from);
    }
    // Each environment promotes from at most one other: following the edges from any start either ends or runs into a cycle.
    const reported = new Set();
    for (const start of names) {
        const chain = [];
        let at = start;
        while (at !== undefined && !chain.includes(at)) {
            chain.push(at);
            at = edges.get(at);
        }
        if (at === undefined)
            continue;
        const cycle = chain.slice(chain.indexOf(at));
        const first = [...cycle].sort()[0];
        if (reported.has(first))
            continue;
        reported.add(first);
        // Start the cycle at its alphabetically first member, so each cycle is reported once, the same way.
        const ordered = [...cycle.slice(cycle.indexOf(first)), ...cycle.slice(0, cycle.indexOf(first)), first];
        const [head, ...rest] = ordered;
        problem((0,value_path/* childPath */.cm)((0,merge_environment/* environmentPath */.F)(first), 'promote-from'), `promotions go round in a circle: ${head} promotes from ${rest.join(', which promotes from ')}; one of them must get its image from a build instead`);
    }
}
function checkRepository(repository, at, problem) {
    if (repository && hasCredentials(repository)) {
        problem(at, "must not carry credentials: they would end up in .git/config and in logs; give the token to the action's 'token' input from a secret");
    }
}
function checkValuesLines(lines, at, problem) {
    (lines ?? []).forEach((line, i) => {
        const other = /\$\{(?!environment\})[^}]*\}?/.exec(line);
        if (other)
            problem((0,value_path/* childPath */.cm)(at, i), `only \${environment} is replaced in a values file name (got '${other[0]}')`);
    });
}
/** Forms of one repository that git would treat as the same: `acme/x`, `acme/x.git`, any case for GitHub names. */
function normaliseRepository(repository) {
    return repository.trim().replace(/\/+$/, '').replace(/\.git$/, '').toLowerCase();
}
function hasCredentials(repository) {
    return /^https?:\/\/[^/]*@/i.test(repository);
}

;// CONCATENATED MODULE: ./packages/core/src/config/config-patterns.ts
/**
 * The grammars of gitops.yaml's own values, as regular expressions an
 * editor's JSON Schema engine runs too. Each mirrors what the action that
 * takes the value accepts, so a file that passes here does not fail there:
 * the repository forms of gitops/repository-url.ts, the image names of
 * registry/reference.ts, the Slack mentions of notify/mentions.ts.
 */
const OWNER_NAME = '[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?/[A-Za-z0-9._-]+';
const GIT_URL = '(?:https?|ssh|file)://\\S+';
const SCP_LIKE = '(?:[A-Za-z0-9_][A-Za-z0-9._-]*@)?[A-Za-z0-9][A-Za-z0-9.-]*:(?!//|:|-)\\S+';
const GITOPS_REPOSITORY = {
    regex: `^(?:${OWNER_NAME}|${GIT_URL}|${SCP_LIKE})$`,
    what: 'a repository: owner/name on this GitHub server, or a git URL (https://, ssh://, git@host:path, file://)',
    short: 'owner/name or git URL',
    example: 'acme/va-verity-eks-stage-gitops',
};
/** A branch name with the globs of the version action's `release-branches` (`*`, `**`, `?`); git's ref-name rules otherwise. */
const BRANCH_PATTERN = {
    regex: '^(?!-)(?!/)(?!refs/)(?!.*//)(?!.*\\.\\.)(?!.*@\\{)(?!.*(?:/|\\.lock|\\.)$)(?!.*/\\.)(?!\\.)[^\\s~^:\\[\\\\\\x00-\\x1f\\x7f]+$',
    what: "a branch name or glob ('*' within a segment, '**' across segments), without refs/heads/, spaces, '..', '~', '^', ':' or '['",
    short: 'branch glob',
    example: 'release/**',
};
const BRANCH_NAME = {
    regex: '^(?!-)(?!/)(?!refs/)(?!.*//)(?!.*\\.\\.)(?!.*@\\{)(?!.*(?:/|\\.lock|\\.)$)(?!.*/\\.)(?!\\.)[^\\s~^:?*\\[\\\\\\x00-\\x1f\\x7f]+$',
    what: "a branch name, without refs/heads/, spaces, '..', '~', '^', ':', '?', '*' or '['",
    short: 'branch',
    example: 'main',
};
/** registry/reference.ts's IMAGE: `[registry[:port]/]path`, lower-case path components, no tag or digest. */
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN_COMPONENT = '[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?';
const DOMAIN = `(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?`;
const IMAGE_NAME = {
    regex: `^(?=.{1,255}$)(?:${DOMAIN}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`,
    what: 'an image name without tag or digest, with a lower-case path (the tag comes from the version step, the digest from the build)',
    short: 'image name',
    example: 'ghcr.io/acme/verity-api',
};
/** render's `chart`: the builtin chart, an oci:// helm chart, or a directory in the repository. */
const CHART = {
    regex: '^(?:builtin:monochart|oci://\\S+|(?!builtin:)(?!oci:)(?!/)(?!\\.\\.(?:/|$))(?!.*/\\.\\.(?:/|$))\\S+)$',
    what: "builtin:monochart, an oci:// helm chart reference, or a chart or kustomization directory (relative, without '..')",
    short: 'chart',
    example: 'builtin:monochart',
};
/** A values file as render's `values` lines take it: `?` marks one that may be missing; `${environment}` is replaced. */
const VALUES_FILE = {
    regex: '^\\??(?!/)(?!\\.\\.(?:/|$))(?!.*/\\.\\.(?:/|$))[^\\s?]\\S*$',
    what: "a relative path without '..' (a leading '?' marks a file that may be missing)",
    short: 'values file',
    example: 'deploy/${environment}.yaml',
};
/** Where in the GitOps repository, as commit-to-gitops checks its `path`. */
const GITOPS_PATH = {
    regex: '^(?=.{1,255}$)[A-Za-z0-9][A-Za-z0-9._-]*(?:/[A-Za-z0-9][A-Za-z0-9._-]*)*$',
    what: "a directory in the GitOps repository: '/'-separated names of letters, digits, '.', '_' and '-', each starting with a letter or digit",
    short: 'repository path',
    example: 'clusters/prod-eu/verity-api--production',
};
const SET_PATH = {
    regex: '^[^\\s=]+$',
    what: "a values path like image.pullPolicy or env[0].value (no spaces or '=')",
    short: 'values path',
    example: 'podAnnotations.team',
};
const BUILD_ARG = {
    regex: '^[A-Za-z_][A-Za-z0-9_]*$',
    what: "a build argument name (letters, digits and '_', not starting with a digit)",
    short: 'build argument',
    example: 'JAVA_VERSION',
};
const IMAGE_LABEL = {
    regex: '^[^\\s=]+$',
    what: "a label key without spaces or '='",
    short: 'label key',
    example: 'org.opencontainers.image.vendor',
};
const PLATFORM = {
    regex: '^[a-z0-9]+/[a-z0-9_]+(?:/[a-z0-9]+)?$',
    what: 'a platform like linux/amd64 or linux/arm64/v8',
    short: 'platform',
    example: 'linux/arm64',
};
const KUBE_VERSION = {
    regex: '^v?1\\.(?:1[6-9]|[2-9][0-9])(?:\\.[0-9]+(?:[-+][0-9A-Za-z.+-]+)?)?$',
    what: 'a Kubernetes version such as 1.32, v1.32 or 1.32.3 (1.16 or later)',
    short: 'Kubernetes version',
    example: '1.32',
};
const HELM_VERSION = {
    regex: '^v?[0-9]+\\.[0-9]+\\.[0-9]+(?:-[0-9A-Za-z.-]+)?$',
    what: 'a helm release such as 3.19.0',
    short: 'helm release',
    example: '3.19.0',
};
const SEMVER = {
    regex: '^(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)\\.(?:0|[1-9][0-9]*)(?:-[0-9A-Za-z.-]+)?$',
    what: 'a semantic version such as 0.1.0, without a prefix',
    short: 'semantic version',
    example: '0.1.0',
};
const TAG_PREFIX = {
    regex: '^[^\\s~^:?*\\[\\\\]*$',
    what: "a git tag prefix without spaces, '~', '^', ':', '?', '*' or '['",
    short: 'tag prefix',
    example: 'verity-api/v',
};
const IMAGE_TAG = {
    regex: '^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$',
    what: "an image tag (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-')",
    short: 'image tag',
    example: 'staging',
};
/** notify's `channel` with a bot token: an ID, or a name with or without '#'. */
const SLACK_CHANNEL = {
    regex: '^(?:#?[a-z0-9][a-z0-9._-]{0,79}|[CGDUW][A-Z0-9]{6,})$',
    what: 'a Slack channel ID like C0123ABCD or a name like #deploys',
    short: 'channel',
    example: 'C0123456',
};
const SLACK_MENTION = {
    regex: '^(?:<!subteam\\^[A-Z0-9]{2,30}(?:\\|@[\\w.-]{1,80})?>|<@[UW][A-Z0-9]{2,30}>|<!here>|<!channel>)$',
    what: 'a Slack mention by ID: <!subteam^S0123> (a user group), <@U0123> (a user), <!here> or <!channel>',
    short: 'mention',
    example: '<!subteam^S0123ABC>',
};
const PR_LABEL = {
    regex: '^\\S(?:.{0,48}\\S)?$',
    what: 'a pull request label (at most 50 characters, no leading or trailing space)',
    short: 'label',
    example: 'deploy',
};
/** Argo CD's Application destination: the API server URL, or the name of a cluster Argo CD knows. */
const ARGOCD_DESTINATION = {
    regex: '^(?:https://\\S+|[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?)$',
    what: 'a cluster API server URL (https://…) or the name of a cluster registered in Argo CD',
    short: 'server URL or cluster name',
    example: 'https://kubernetes.default.svc',
};
/** The Argo CD API server the wait step polls: its URL, with a path prefix when Argo CD runs under `--rootpath`. */
const ARGOCD_URL = {
    regex: '^https?://[^\\s/@?#]+(?:/[^\\s?#]*)?$',
    what: "the Argo CD server's URL (https://…, without credentials, query or fragment; http:// only with insecure: true)",
    short: 'Argo CD URL',
    example: 'https://argocd.example.com',
};
/** A duration as the wait-for-sync action reads it (argocd/duration.ts). */
const config_patterns_DURATION = {
    regex: '^(?:\\d+|(?=\\d)(?:\\d+h)?(?:\\d+m)?(?:\\d+s)?)$',
    what: 'a duration such as 90s, 10m, 1h30m or a number of seconds',
    short: 'duration',
    example: '10m',
};
/** The actions take maps as `KEY=VALUE` lines, so a value cannot span lines. */
const SINGLE_LINE = {
    regex: '^[^\\r\\n]*$',
    what: 'a single line (the action takes these as KEY=VALUE lines)',
    short: 'single line',
    example: 'Always',
};

;// CONCATENATED MODULE: ./packages/core/src/config/gitops-config-description.ts



/*
 * gitops.yaml: the single description the validator, the types,
 * schemas/gitops.schema.json and docs/gitops-yaml.md come from.
 *
 * The file is a way to give the actions' inputs, not a second system: every
 * key under `version`, `build`, `render`, `gitops` and `notify.slack` is the
 * input of the same name of the action it feeds (a test holds them to
 * action.yml), and their defaults are the actions' own, documented here as
 * text and applied by the actions, so no default lives in two places.
 * Secrets never belong here: the file is committed.
 */
/**
 * Keys people write secrets under. They are refused with a hint; the loader
 * also never quotes their line in a message, since it holds the secret.
 */
const SECRET_KEYS = new Set(['token', 'ssh-key', 'webhook', 'webhook-url', 'bot-token', 'argocd-token', 'password', 'secrets']);
const secretHint = (input) => `a secret does not belong in gitops.yaml, which is committed: give the action's '${input}' input from a secret, e.g. \${{ secrets.NAME }}`;
/** The action's own default, for the reference; the action applies it. */
const actionDefault = (value) => `\`${value}\``;
// ---- settings each environment may set, and the top level sets for all of them ----
const values = s.array(s.string({ pattern: VALUES_FILE }), {
    description: "Values files merged in order (render `values`), relative to the directory of gitops.yaml: the top-level list first, then the environment's. A leading `?` marks a file that may be missing; `${environment}` stands for the environment's name.",
});
const set = s.map(s.string({ pattern: SINGLE_LINE, typeHint: "set values are strings, as with helm's --set-string: quote numbers and booleans, e.g. '3'" }), {
    keys: SET_PATH,
    description: "Single values set over the values files (render `set`, as `path=value` lines). The environment's entries win over the top level's.",
});
const renderOptions = s.object({
    engine: s.string({ enum: ['auto', 'builtin', 'helm', 'kustomize'], defaultText: actionDefault('auto'), description: 'Which engine renders the chart; `auto` tells from the chart.' }),
    'kube-version': s.string({
        pattern: KUBE_VERSION,
        defaultText: actionDefault('1.32'),
        description: "The Kubernetes version of the environment's cluster: charts are rendered for it and every object is checked against its API.",
        typeHint: "quote versions: unquoted, 1.30 is the number 1.3",
    }),
    'helm-version': s.string({ pattern: HELM_VERSION, defaultText: actionDefault('3.19.0'), description: 'The helm 3 release the helm engine uses.' }),
    validate: s.boolean({ defaultText: actionDefault('true'), description: "Validate values against the chart's schema." }),
    timeout: s.integer({ minimum: 1, maximum: 3600, defaultText: actionDefault('90'), description: 'Seconds allowed per render.' }),
}, { definition: 'renderOptions', description: 'Options of the render action; an environment overrides them key by key.' });
const gitopsTarget = s.object({
    repository: s.string({
        pattern: GITOPS_REPOSITORY,
        description: "The environment's GitOps repository, the one its cluster's Argo CD syncs. Needed to commit.",
    }),
    branch: s.string({ pattern: BRANCH_NAME, defaultText: actionDefault('main'), description: 'The branch the desired state lands on (the base branch of pull requests).' }),
    mode: s.string({
        enum: ['push', 'pull-request'],
        defaultText: actionDefault('push'),
        description: '`push` commits to the branch; `pull-request` proposes the change in a pull request, e.g. for production.',
    }),
    path: s.string({ pattern: GITOPS_PATH, defaultText: '`<app>--<environment>`', description: 'The directory in the GitOps repository that holds this app in this environment.' }),
    'create-branch': s.boolean({ defaultText: actionDefault('false'), description: 'Create the branch when the repository does not have it yet.' }),
    'pr-labels': s.array(s.string({ pattern: PR_LABEL }), { description: 'Labels for the pull request.' }),
    'pr-base': s.string({ pattern: BRANCH_NAME, defaultText: '`branch`', description: 'The branch the pull request merges into.' }),
    'auto-merge': s.boolean({ defaultText: actionDefault('false'), description: "Merge the pull request once the branch's required checks and reviews pass." }),
}, {
    definition: 'gitopsTarget',
    description: 'Where the rendered manifests are committed (the commit-to-gitops inputs); an environment overrides the top level key by key.',
    unknownKeyHints: { token: secretHint('token'), 'ssh-key': secretHint('ssh-key'), repo: "did you mean 'repository'?" },
});
const slack = s.object({
    channel: s.string({
        pattern: SLACK_CHANNEL,
        description: 'The channel deploys are reported to, when notifying through a bot token (an incoming webhook always posts to its own channel).',
    }),
    thread: s.boolean({ defaultText: actionDefault('false'), description: 'Post the changelog as a reply in the message’s thread (bot token only).' }),
    'mention-on-failure': s.array(s.string({ pattern: SLACK_MENTION }), { description: 'Who is mentioned when a deploy fails.' }),
    'fail-on-error': s.boolean({
        defaultText: actionDefault('false'),
        description: 'Fail the step when Slack cannot be reached; by default that is a warning and the deploy stands.',
    }),
}, {
    definition: 'slack',
    description: 'Deploy messages in Slack (the notify inputs). The webhook URL or bot token is a secret and goes to the action.',
    unknownKeyHints: {
        webhook: secretHint('webhook-url'),
        'webhook-url': secretHint('webhook-url'),
        'bot-token': secretHint('bot-token'),
        token: secretHint('bot-token'),
    },
});
const notify = s.object({ slack }, { definition: 'notify', description: 'Who hears about deploys (the notify inputs); an environment overrides the top level key by key.' });
const argocd = s.object({
    application: s.string({
        pattern: DNS_LABEL,
        defaultText: '`<app>--<environment>`',
        description: 'The Application\'s name in Argo CD: the one written with the first deploy, and the one the wait step watches.',
    }),
    'create-application': s.boolean({
        defaultText: '`true`',
        description: 'Write the Application manifest with the first deploy. `false` when something else creates it (an ApplicationSet, hand-written YAML); the wait step still watches it.',
    }),
    project: s.string({ pattern: DNS_SUBDOMAIN, defaultText: '`default`', description: 'The Argo CD project of the Application.' }),
    destination: s.string({
        pattern: ARGOCD_DESTINATION,
        description: 'The cluster the Application deploys to: its API server URL, or its name in Argo CD. Needed unless `create-application` is false.',
    }),
    namespace: s.string({ pattern: DNS_LABEL, defaultText: "the environment's `namespace`", description: "The Application's destination namespace; without one, the rendered objects' own namespaces apply." }),
    path: s.string({
        pattern: GITOPS_PATH,
        defaultText: '`applications`',
        description: 'The directory in the GitOps repository the Application manifest `<app>--<environment>.yaml` is written to, where an app-of-apps picks it up.',
    }),
    'sync-policy': s.string({
        enum: ['automated', 'manual'],
        defaultText: '`automated`',
        description: '`automated` syncs every change (with prune and self-heal); `manual` waits for someone to sync.',
    }),
    url: s.string({
        pattern: ARGOCD_URL,
        description: "The Argo CD server the wait step polls (wait-for-sync `argocd-url`); the token goes to the action's `argocd-token` input from a secret.",
    }),
    timeout: s.string({ pattern: config_patterns_DURATION, defaultText: actionDefault('10m'), description: 'How long the wait step waits for the commit to be synced and healthy (wait-for-sync `timeout`).' }),
    'poll-interval': s.string({
        pattern: config_patterns_DURATION,
        defaultText: actionDefault('5s'),
        description: 'How long the wait step waits between its first polls of Argo CD; it backs off while nothing changes (wait-for-sync `poll-interval`).',
    }),
    'require-healthy': s.boolean({
        defaultText: actionDefault('true'),
        description: 'The wait step also waits for health `Healthy`, and fails on `Degraded` (wait-for-sync `require-healthy`).',
    }),
    insecure: s.boolean({
        defaultText: actionDefault('false'),
        description: "Do not verify the Argo CD server's TLS certificate, and allow http:// (a test cluster only; wait-for-sync `insecure`).",
    }),
}, {
    definition: 'argocd',
    description: 'Argo CD for the app: the Application the first deploy writes for `<app>--<environment>`, so a new app appears in Argo CD without hand-written YAML, and the server the wait step asks whether the commit is live.',
    unknownKeyHints: {
        token: secretHint('argocd-token'),
        server: "did you mean 'url' (the Argo CD server) or 'destination' (the cluster the app runs in)?",
        'argocd-url': "did you mean 'url'?",
        name: "did you mean 'application'?",
    },
});
/** What both the top level (for every environment) and each environment may set. */
const shared = {
    chart: s.string({ pattern: CHART, defaultText: actionDefault('builtin:monochart'), description: "The chart (render `chart`); an environment's replaces the top level's." }),
    values,
    set,
    namespace: s.string({ pattern: DNS_LABEL, description: "The namespace the app runs in (render `namespace`); an environment's replaces the top level's." }),
    render: renderOptions,
    gitops: gitopsTarget,
    notify,
    argocd,
};
const environment = s.object({
    ...shared,
    'deploy-on': s.array(s.string({ pattern: BRANCH_PATTERN }), {
        description: 'Branches whose pushes deploy to this environment (`*` within a segment, `**` across segments).',
    }),
    'promote-from': s.string({
        pattern: DNS_LABEL,
        description: 'The environment whose running image is promoted to this one (the same digest, retagged): another environment of this file.',
    }),
}, {
    definition: 'environment',
    description: 'One environment; what it leaves out comes from the top level.',
    unknownKeyHints: { 'deploy-from': "did you mean 'deploy-on' or 'promote-from'?", branches: "did you mean 'deploy-on'?" },
});
// ---- app-wide steps -------------------------------------------------------------------------
const version = s.object({
    'tag-prefix': s.string({ pattern: TAG_PREFIX, defaultText: actionDefault('v'), description: 'Version tags are `<prefix>X.Y.Z`; a monorepo uses e.g. `verity-api/v`.' }),
    paths: s.array(s.string({ pattern: RELATIVE_PATH }), {
        description: 'Only commits touching these paths (relative to the directory of gitops.yaml) count towards the version and changelog.',
    }),
    'release-branches': s.array(s.string({ pattern: BRANCH_PATTERN }), {
        defaultText: actionDefault('[main, master]'),
        description: 'Branches whose pushes produce release versions; others get pre-releases.',
    }),
    'default-bump': s.string({
        enum: ['major', 'minor', 'patch', 'none'],
        defaultText: actionDefault('patch'),
        description: 'The bump when no commit has a releasing type; `none` makes no new version.',
    }),
    'major-on-zero': s.boolean({ defaultText: actionDefault('false'), description: 'Below 1.0.0 a breaking change bumps the minor version unless this is true.' }),
    'initial-version': s.string({ pattern: SEMVER, defaultText: actionDefault('0.1.0'), description: 'The version when no version tag exists yet.' }),
    'create-tag': s.boolean({ defaultText: actionDefault('false'), description: 'On a release branch, create and push the version tag.' }),
    'moving-tags': s.array(s.string({ pattern: IMAGE_TAG }), { description: 'Extra image tags always pushed, e.g. `latest`.' }),
}, { definition: 'version', description: 'How the app is versioned (the version inputs).' });
const build = s.object({
    context: s.string({ pattern: RELATIVE_PATH, defaultText: actionDefault('.'), description: 'The build context, relative to the directory of gitops.yaml.' }),
    file: s.string({ pattern: RELATIVE_PATH, defaultText: '`<context>/Dockerfile`', description: 'The Dockerfile, relative to the directory of gitops.yaml.' }),
    builder: s.string({ enum: ['auto', 'docker', 'buildah'], defaultText: actionDefault('auto'), description: '`auto` uses docker buildx when a daemon answers, else buildah.' }),
    platforms: s.array(s.string({ pattern: PLATFORM }), { description: "Platforms to build for; the runner's when empty." }),
    'build-args': s.map(s.string({ pattern: SINGLE_LINE, typeHint: "build arguments are strings: quote numbers, e.g. '21'" }), { keys: BUILD_ARG, description: 'Build arguments.' }),
    labels: s.map(s.string({ pattern: SINGLE_LINE, typeHint: 'label values are strings: quote numbers and booleans' }), {
        keys: IMAGE_LABEL,
        description: 'Image labels, on top of the OCI labels added automatically.',
    }),
    target: s.string({ minLength: 1, description: 'The Dockerfile stage to build.' }),
    cache: s.string({ enum: ['auto', 'registry', 'none'], defaultText: actionDefault('auto'), description: 'Where layers are cached between builds.' }),
    'skip-existing': s.boolean({ defaultText: actionDefault('true'), description: "Skip the build when the registry already has this commit's image." }),
}, {
    definition: 'build',
    description: 'How the image is built (the build-and-push inputs).',
    unknownKeyHints: {
        dockerfile: "did you mean 'file'?",
        password: secretHint('password'),
        username: "registry credentials go to the action's 'username' and 'password' inputs, from secrets",
        secrets: secretHint('secrets'),
        args: "did you mean 'build-args'?",
    },
});
const gitopsConfigDescription = s.object({
    app: s.string({ pattern: DNS_LABEL, description: 'The app: names its GitOps directories `<app>--<environment>` and its Kubernetes objects.' }),
    image: s.string({ pattern: IMAGE_NAME, description: 'The image repository the build pushes to and the environments run. Needed to build.' }),
    version,
    build,
    ...shared,
    environments: s.map(environment, { keys: DNS_LABEL, description: 'The environments, by name: each a DNS-1123 label such as `staging`.' }),
}, {
    required: ['app', 'environments'],
    unknownKeyHints: { name: "did you mean 'app'?" },
});
/** The description of one environment, for checks that name its keys. */
const environmentDescription = (/* unused pure expression or super */ null && (environment));

;// CONCATENATED MODULE: ./packages/core/src/errors/problem-list.ts
/** At most this many problems are listed in one message; the rest are counted. A longer list helps nobody find the first. */
const MAX_LISTED = 50;
/** The lines of a list of problems, one each, the first 50 and then `… and N more`; `bullet` starts every line. */
function listProblems(lines, bullet = '- ') {
    const listed = lines.slice(0, MAX_LISTED).map((line) => `${bullet}${line}`);
    if (lines.length > MAX_LISTED)
        listed.push(`${bullet}… and ${lines.length - MAX_LISTED} more`);
    return listed.join('\n');
}

// EXTERNAL MODULE: ./packages/core/src/yaml/yaml-error.ts
var yaml_error = __webpack_require__(6753);
;// CONCATENATED MODULE: ./packages/core/src/config/gitops-config-error.ts



/**
 * Every problem with gitops.yaml at once, each where a compiler would put it
 * (`gitops.yaml:12:5: environments.production.gitops.mode: …`), so a team
 * fixes the file in one round and an editor or problem matcher can jump to
 * each line. A single problem also quotes its line with a caret, unless
 * that line holds a secret.
 */
class GitopsConfigError extends errors/* InputError */.dz {
    file;
    problems;
    constructor(file, problems, text) {
        super(GitopsConfigError.format(file, problems, text));
        this.file = file;
        this.problems = problems;
    }
    static format(file, problems, text) {
        const line = (p) => {
            const where = p.location ? `${file}:${p.location.line}:${p.location.column}` : file;
            return p.path ? `${where}: ${p.path}: ${p.message}` : `${where}: ${p.message}`;
        };
        if (problems.length === 1) {
            const only = problems[0];
            const excerpt = only.location && text !== undefined && !only.sensitive ? (0,yaml_error/* excerptAt */.LA)(text, only.location) : '';
            return excerpt ? `${line(only)}\n${excerpt}` : line(only);
        }
        return `${file} has ${problems.length} problems:\n${listProblems(problems.map(line), '')}`;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/config/load-gitops-config.ts










/** The usual name, at the root of the app repository. */
const DEFAULT_CONFIG_FILE = 'gitops.yaml';
/** gitops.yaml is a page of settings; anything near this size is not one. */
const MAX_CONFIG_BYTES = 1024 * 1024;
/**
 * Reads and checks gitops.yaml. Every problem is reported at once, each at
 * `file:line:column` with its path and, for a mistyped key or value, the
 * closest valid one: first the structure (types, unknown keys, patterns),
 * then, on a file that has the right structure, what relates keys to each
 * other (promote-from names an environment, no cycles, no two environments
 * writing one directory). `path` is relative to `workspace` and must stay
 * inside it.
 */
function loadGitopsConfig(path, options) {
    const workspace = (0,external_node_path_.resolve)(options.workspace);
    const absolute = (0,external_node_path_.resolve)(workspace, path);
    const inside = (0,external_node_path_.relative)(workspace, absolute);
    if (inside === '' || inside.startsWith(`..${external_node_path_.sep}`) || inside === '..' || (0,external_node_path_.isAbsolute)(inside)) {
        throw new errors/* InputError */.dz(`the config file ${path} must be a file inside the workspace ${workspace}`);
    }
    const file = inside.split(external_node_path_.sep).join('/');
    const stat = (0,external_node_fs_.statSync)(absolute, { throwIfNoEntry: false });
    if (!stat)
        throw new errors/* InputError */.dz(`${file} does not exist in the workspace ${workspace} (the config file describes the app and its environments)`);
    if (!stat.isFile())
        throw new errors/* InputError */.dz(`${file} is not a file`);
    if (stat.size > MAX_CONFIG_BYTES)
        throw new errors/* InputError */.dz(`${file} is ${stat.size} bytes; a config file may have at most ${MAX_CONFIG_BYTES}`);
    const text = (0,external_node_fs_.readFileSync)(absolute, 'utf8');
    const loaded = (0,load_yaml/* loadYamlWithPositions */.Wh)(text, { file }, { maxBytes: MAX_CONFIG_BYTES });
    const directory = file.includes('/') ? file.slice(0, file.lastIndexOf('/')) : '';
    const source = configSource(file, directory, text, loaded.positions);
    if (loaded.value === undefined || loaded.value === null) {
        throw source.error([{ path: '', message: 'the file is empty; it needs at least app and environments' }]);
    }
    if (!isPlainObject(loaded.value)) {
        throw source.error([{ ...source.problemAt('', ''), message: 'expected a map of settings (app, image, environments, …) at the top level' }]);
    }
    const given = withEmptyEnvironments(loaded.value);
    const structural = checkValues(gitopsConfigDescription, given);
    if (structural.length > 0)
        throw source.error(placed(source, structural, given));
    const config = applyDefaults(gitopsConfigDescription, given);
    const semantic = checkConfigSemantics(config);
    if (semantic.length > 0)
        throw source.error(placed(source, semantic, given));
    return deepFreeze({ ...config, source });
}
/**
 * `preview:` with nothing under it is an environment that takes everything
 * from the top level. In the values layering a null unsets a key; here it
 * would make the environment vanish, so it is read as `{}`.
 */
function withEmptyEnvironments(value) {
    const environments = value.environments;
    if (!isPlainObject(environments))
        return value;
    const filled = Object.fromEntries(Object.entries(environments).map(([name, env]) => [name, env === null ? {} : env]));
    return { ...value, environments: filled };
}
function placed(source, problems, given) {
    const located = problems.map((p) => {
        const problem = source.problemAt(p.path, p.message);
        return holdsSecret(given, (0,value_path/* pathSegments */.Mz)(p.path) ?? []) ? { ...problem, sensitive: true } : problem;
    });
    // In the file's order, as a compiler lists them; a stable sort keeps the checker's order within a line.
    return located.sort((a, b) => (a.location?.line ?? Infinity) - (b.location?.line ?? Infinity) || (a.location?.column ?? 0) - (b.location?.column ?? 0));
}
/** A value under a key secrets are written under, or a URL with a password in it. */
function holdsSecret(given, segments) {
    if (segments.some((segment) => typeof segment === 'string' && SECRET_KEYS.has(segment)))
        return true;
    let value = given;
    for (const segment of segments)
        value = typeof value === 'object' && value !== null ? value[segment] : undefined;
    return typeof value === 'string' && /:\/\/[^/\s@]*:[^/\s@]*@/.test(value);
}
function configSource(file, directory, text, positions) {
    return {
        file,
        directory,
        problemAt(path, message) {
            const segments = (0,value_path/* pathSegments */.Mz)(path);
            const location = segments ? positions().locationOf(segments) : undefined;
            return location ? { path, message, location } : { path, message };
        },
        error(problems) {
            return new GitopsConfigError(file, problems, text);
        },
    };
}


/***/ }),

/***/ 7836:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ environmentPath),
/* harmony export */   e: () => (/* binding */ mergeEnvironment)
/* harmony export */ });
/* harmony import */ var _schema_value_path_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7622);

/**
 * The rules, one per kind of key, as the reference states them: values
 * files add up (the top level's first, as render layers them), `set` entries
 * merge with the environment's winning, `chart` and `namespace` are replaced,
 * and the option groups (`render`, `gitops`, `notify.slack`, `argocd`) merge
 * key by key.
 */
function mergeEnvironment(config, name) {
    const env = config.environments[name];
    if (!env)
        return undefined;
    const at = environmentPath(name);
    const lines = (list, path) => (list ?? []).map((line, i) => ({ line, path: (0,_schema_value_path_js__WEBPACK_IMPORTED_MODULE_0__/* .childPath */ .cm)(path, i) }));
    const hasArgocd = config.argocd !== undefined || env.argocd !== undefined;
    return {
        name,
        chart: env.chart ?? config.chart,
        values: [...lines(config.values, 'values'), ...lines(env.values, (0,_schema_value_path_js__WEBPACK_IMPORTED_MODULE_0__/* .childPath */ .cm)(at, 'values'))],
        set: { ...config.set, ...env.set },
        namespace: env.namespace ?? config.namespace,
        render: { ...config.render, ...env.render },
        gitops: { ...config.gitops, ...env.gitops },
        slack: { ...config.notify?.slack, ...env.notify?.slack },
        argocd: hasArgocd ? { ...config.argocd, ...env.argocd } : undefined,
        argocdPath: env.argocd !== undefined ? (0,_schema_value_path_js__WEBPACK_IMPORTED_MODULE_0__/* .childPath */ .cm)(at, 'argocd') : 'argocd',
        deployOn: [...(env['deploy-on'] ?? [])],
        promoteFrom: env['promote-from'],
    };
}
/** `environments.staging`, as problems name it. */
function environmentPath(name) {
    return (0,_schema_value_path_js__WEBPACK_IMPORTED_MODULE_0__/* .childPath */ .cm)('environments', name);
}


/***/ }),

/***/ 2222:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   k: () => (/* binding */ closest)
/* harmony export */ });
/* unused harmony export editDistance */
/**
 * "did you mean 'readinessProbe'?" for a mistyped key or enum value: the
 * closest candidate by edit distance (optimal string alignment: a swap of two
 * neighbouring letters counts once), compared case-insensitively so
 * `livenessprobe` finds `livenessProbe`. Far-off guesses help nobody, so the
 * distance must stay within about a third of the word.
 */
function closest(word, candidates) {
    const lower = word.toLowerCase();
    const limit = Math.max(1, Math.floor(word.length / 3));
    let best;
    let bestDistance = Infinity;
    for (const candidate of candidates) {
        const d = editDistance(lower, candidate.toLowerCase());
        if (d < bestDistance) {
            best = candidate;
            bestDistance = d;
        }
    }
    return best !== undefined && bestDistance <= limit && best !== word ? best : undefined;
}
function editDistance(a, b) {
    const rows = a.length + 1;
    const cols = b.length + 1;
    const d = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
    for (let i = 1; i < rows; i++) {
        for (let j = 1; j < cols; j++) {
            const cost = a[i - 1] === b[j - 1] ? 0 : 1;
            let v = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
            if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
                v = Math.min(v, d[i - 2][j - 2] + 1);
            d[i][j] = v;
        }
    }
    return d[a.length][b.length];
}


/***/ }),

/***/ 7622:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Mz: () => (/* binding */ pathSegments),
/* harmony export */   cm: () => (/* binding */ childPath)
/* harmony export */ });
/* unused harmony export pathOf */
/**
 * The JSON paths problems are reported at: `containers[0].ports[1].name`,
 * `environments.staging.gitops`, `labels["app.kubernetes.io/name"]`. Keys
 * that are not plain words are JSON-quoted, so a path can be read back into
 * its segments exactly (to find where in the YAML text it was written).
 */
function childPath(parent, key) {
    if (typeof key === 'number')
        return `${parent}[${key}]`;
    if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key))
        return parent ? `${parent}.${key}` : key;
    return `${parent}[${JSON.stringify(key)}]`;
}
function pathOf(segments) {
    return segments.reduce((path, segment) => childPath(path, segment), '');
}
/**
 * The segments of a path childPath wrote; undefined for text it cannot have
 * written (a caller's own wording such as `values`), which then has no place.
 */
function pathSegments(path) {
    const segments = [];
    let rest = path;
    const word = /^[A-Za-z_][A-Za-z0-9_-]*/;
    while (rest) {
        if (rest.startsWith('[')) {
            const index = /^\[(\d+)\]/.exec(rest);
            if (index) {
                segments.push(Number(index[1]));
                rest = rest.slice(index[0].length);
                continue;
            }
            const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(rest);
            if (!quoted)
                return undefined;
            segments.push(JSON.parse(quoted[1]));
            rest = rest.slice(quoted[0].length);
            continue;
        }
        if (segments.length > 0) {
            if (!rest.startsWith('.'))
                return undefined;
            rest = rest.slice(1);
        }
        const key = word.exec(rest);
        if (!key)
            return undefined;
        segments.push(key[0]);
        rest = rest.slice(key[0].length);
    }
    return segments;
}


/***/ })

};
