export const id = 95;
export const ids = [95];
export const modules = {

/***/ 95:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  ENVIRONMENT_STEPS: () => (/* binding */ ENVIRONMENT_STEPS),
  STEP_ACTIONS: () => (/* binding */ STEP_ACTIONS),
  configInputs: () => (/* binding */ configInputs)
});

// EXTERNAL MODULE: ./packages/core/src/errors/errors.ts
var errors = __webpack_require__(254);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./packages/core/src/schema/did-you-mean.ts
var did_you_mean = __webpack_require__(222);
// EXTERNAL MODULE: ./packages/core/src/schema/value-path.ts
var value_path = __webpack_require__(622);
// EXTERNAL MODULE: ./packages/core/src/config/merge-environment.ts
var merge_environment = __webpack_require__(455);
;// CONCATENATED MODULE: ./packages/core/src/config/environment-settings.ts







/** The pipeline's steps, in order, as the root action's `steps` input names them. */
const PIPELINE_STEPS = ['version', 'build', 'render', 'commit', 'wait', 'notify'];
/**
 * The steps the root action runs unless told otherwise: all but `wait`,
 * which needs an Argo CD server and token that a first deploy may not have.
 */
const DEFAULT_STEPS = PIPELINE_STEPS.filter((step) => step !== 'wait');
/** The settings that do not depend on an environment: version and build. */
function appSettings(config, options = {}) {
    const steps = options.steps ?? PIPELINE_STEPS;
    const problems = [];
    const settings = appPart(config, steps, options.workspace, problems);
    if (problems.length > 0)
        throw config.source.error(problems);
    return settings;
}
/**
 * Everything the steps need to deploy to `environment`: the top level with
 * the environment's settings over it (see mergeEnvironment for the rules).
 * An environment the file does not have is an error that lists the ones it has.
 */
function settingsFor(config, environment, options = {}) {
    const merged = (0,merge_environment/* mergeEnvironment */.e)(config, environment);
    if (!merged)
        throw unknownEnvironment(config, environment);
    const steps = options.steps ?? PIPELINE_STEPS;
    const { source } = config;
    const problems = [];
    const app = appPart(config, steps, options.workspace, problems);
    const at = (0,merge_environment/* environmentPath */.F)(environment);
    const values = merged.values.map(({ line, path }) => ({ line: inDirectory(source.directory, line.replaceAll('${environment}', environment)), path }));
    const chart = merged.chart === undefined || isRemoteChart(merged.chart) ? merged.chart : inDirectory(source.directory, merged.chart);
    if (options.workspace && steps.includes('render')) {
        const workspace = options.workspace;
        for (const { line, path } of values) {
            if (line.startsWith('?'))
                continue;
            const stat = (0,external_node_fs_.statSync)((0,external_node_path_.resolve)(workspace, line), { throwIfNoEntry: false });
            if (!stat)
                problems.push(source.problemAt(path, `${line} does not exist (start the line with '?' if the file may be missing)`));
            else if (!stat.isFile())
                problems.push(source.problemAt(path, `${line} is not a file`));
        }
        if (chart !== undefined && !isRemoteChart(chart) && !isDirectory((0,external_node_path_.resolve)(workspace, chart))) {
            const path = config.environments[environment].chart !== undefined ? (0,value_path/* childPath */.cm)(at, 'chart') : 'chart';
            problems.push(source.problemAt(path, `${chart} is not a directory (a chart or kustomization directory, builtin:monochart or oci://…)`));
        }
    }
    const render = {
        app: config.app,
        environment,
        values: values.map((v) => v.line),
        ...(chart !== undefined ? { chart } : {}),
        ...(config.image !== undefined ? { image: config.image } : {}),
        ...(merged.namespace !== undefined ? { namespace: merged.namespace } : {}),
        set: merged.set,
        ...merged.render,
    };
    const { repository } = merged.gitops;
    if (repository === undefined && steps.includes('commit')) {
        problems.push(source.problemAt(at, `environment '${environment}' has no GitOps repository to commit to: set ${(0,value_path/* childPath */.cm)((0,value_path/* childPath */.cm)(at, 'gitops'), 'repository')} (or gitops.repository for every environment)`));
    }
    const commit = repository !== undefined ? { ...merged.gitops, repository } : undefined;
    const wait = waitSettings(config.app, environment, merged.argocd);
    let argocd;
    if (merged.argocd && merged.argocd['create-application'] !== false) {
        const { application, destination, namespace, project, path, 'sync-policy': syncPolicy } = merged.argocd;
        const name = application ?? `${config.app}--${environment}`;
        argocd = {
            name,
            project: project ?? 'default',
            // The load-time checks made sure it is set.
            destination: /^https:\/\//.test(destination) ? { server: destination } : { name: destination },
            namespace: namespace ?? merged.namespace,
            file: `${path ?? 'applications'}/${name}.yaml`,
            syncPolicy: syncPolicy ?? 'automated',
        };
    }
    if (problems.length > 0)
        throw source.error(problems);
    return {
        ...app,
        environment,
        render,
        commit,
        notify: { app: config.app, environment, ...merged.slack },
        argocd,
        wait,
        deployOn: merged.deployOn,
        promoteFrom: merged.promoteFrom,
    };
}
/** The wait-for-sync inputs of an environment's merged `argocd`: only what it sets, so the action's defaults fill the rest. */
function waitSettings(app, environment, argocd) {
    const { application, url, project, timeout, 'poll-interval': pollInterval, 'require-healthy': requireHealthy, insecure } = argocd ?? {};
    return {
        app,
        environment,
        ...(application !== undefined ? { application } : {}),
        ...(url !== undefined ? { 'argocd-url': url } : {}),
        ...(project !== undefined ? { project } : {}),
        ...(timeout !== undefined ? { timeout } : {}),
        ...(pollInterval !== undefined ? { 'poll-interval': pollInterval } : {}),
        ...(requireHealthy !== undefined ? { 'require-healthy': requireHealthy } : {}),
        ...(insecure !== undefined ? { insecure } : {}),
    };
}
/** The environments a push to `branch` deploys to (their `deploy-on` globs match it), in name order. */
function environmentsForBranch(config, branch) {
    return Object.keys(config.environments).filter((name) => matchesAnyGlob(branch, config.environments[name]['deploy-on'] ?? []));
}
function appPart(config, steps, workspace, problems) {
    const { source } = config;
    const dir = source.directory;
    const version = {
        ...config.version,
        ...(config.version?.paths ? { paths: config.version.paths.map((p) => inDirectory(dir, p)) } : {}),
        ...(config.image !== undefined ? { image: config.image } : {}),
    };
    let build;
    if (config.image === undefined) {
        if (steps.includes('build')) {
            problems.push(source.problemAt('', "the build step needs 'image', the repository to push to, e.g. image: ghcr.io/acme/verity-api"));
        }
    }
    else {
        const given = config.build ?? {};
        // Paths in gitops.yaml are relative to its directory; at the root that is the action's own default '.'.
        const context = given.context !== undefined ? inDirectory(dir, given.context) : dir || undefined;
        build = {
            ...given,
            image: config.image,
            ...(context !== undefined ? { context } : {}),
            ...(given.file !== undefined ? { file: inDirectory(dir, given.file) } : {}),
        };
        if (workspace && steps.includes('build')) {
            if (!isDirectory((0,external_node_path_.resolve)(workspace, context ?? '.'))) {
                problems.push(source.problemAt(given.context !== undefined ? 'build.context' : 'build', `the build context ${context ?? '.'} is not a directory`));
            }
            if (build.file !== undefined && !(0,external_node_fs_.statSync)((0,external_node_path_.resolve)(workspace, build.file), { throwIfNoEntry: false })?.isFile()) {
                problems.push(source.problemAt('build.file', `${build.file} does not exist`));
            }
        }
    }
    return { app: config.app, version, build };
}
function unknownEnvironment(config, environment) {
    const names = Object.keys(config.environments);
    const guess = (0,did_you_mean/* closest */.k)(environment, names);
    return new errors/* InputError */.dz(`${config.source.file} has no environment '${environment}'${guess ? `, did you mean '${guess}'?` : ''} (environments: ${names.join(', ')})`);
}
/** `deploy/values.yaml` of a gitops.yaml in `services/api` is `services/api/deploy/values.yaml`; a leading `?` stays in front. */
function inDirectory(directory, path) {
    const optional = path.startsWith('?');
    const bare = optional ? path.slice(1) : path;
    const joined = directory ? external_node_path_.posix.join(directory, bare) : external_node_path_.posix.normalize(bare);
    return optional ? `?${joined}` : joined;
}
function isRemoteChart(chart) {
    return chart.startsWith('builtin:') || chart.startsWith('oci://');
}
function isDirectory(path) {
    return (0,external_node_fs_.statSync)(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

;// CONCATENATED MODULE: ./packages/core/src/config/config-inputs.ts


/** The action that runs each step, by the folder name under actions/. */
const STEP_ACTIONS = {
    version: 'version',
    build: 'build-and-push',
    render: 'render',
    commit: 'commit-to-gitops',
    wait: 'wait-for-sync',
    notify: 'notify',
};
/** The steps whose settings depend on the environment: their actions need one to read gitops.yaml. */
const ENVIRONMENT_STEPS = ['render', 'commit', 'wait', 'notify'];
/**
 * The inputs gitops.yaml gives the action of `step`, by their action.yml
 * names, as the text a workflow would pass: lists one item per line, maps as
 * `KEY=VALUE` lines, booleans `true`/`false`. Only what the file sets is
 * there; the action's own defaults fill the rest. One mapping for the root
 * action, the CLI and each action's `config` input.
 *
 * The rule for combining them: an input given explicitly wins over the file,
 * and the file wins over the action's built-in defaults (runtime/inputs.ts).
 *
 * `environment` is needed by render, commit, wait and notify; version and build
 * are the app's. Problems (an unknown environment, a commit without a GitOps
 * repository, a missing values file when `workspace` is given) throw.
 */
function configInputs(config, step, environment, options = {}) {
    const { given = {}, ...rest } = options;
    const settingsOptions = { ...rest, steps: [step] };
    const file = withGiven(config, step, given);
    if (!ENVIRONMENT_STEPS.includes(step)) {
        const app = appSettings(file, settingsOptions);
        return asInputs(step === 'version' ? app.version : app.build);
    }
    if (!environment)
        throw new errors/* InputError */.dz(`the ${step} step needs an environment (${file.source.file} has ${Object.keys(file.environments).join(', ')})`);
    const settings = settingsFor(file, environment, settingsOptions);
    if (step === 'render')
        return asInputs(settings.render);
    if (step === 'commit')
        return asInputs(settings.commit);
    if (step === 'wait')
        return asInputs(settings.wait);
    return asInputs(settings.notify);
}
/** The explicit value stands in for a setting the step needs and the file may lack; it wins over the file's either way. */
function withGiven(config, step, given) {
    const image = given.image?.trim();
    if (step === 'build' && image && config.image === undefined)
        return { ...config, image };
    const repository = given.repository?.trim();
    if (step === 'commit' && repository)
        return { ...config, gitops: { ...config.gitops, repository } };
    return config;
}
function asInputs(settings) {
    const inputs = {};
    for (const [name, value] of Object.entries(settings)) {
        const text = inputText(value);
        if (text !== undefined)
            inputs[name] = text;
    }
    return inputs;
}
function inputText(value) {
    if (value === undefined || value === null)
        return undefined;
    if (typeof value === 'string')
        return value;
    if (typeof value === 'number' || typeof value === 'boolean')
        return String(value);
    if (Array.isArray(value))
        return value.length > 0 ? value.map(String).join('\n') : undefined;
    const entries = Object.entries(value);
    return entries.length > 0 ? entries.map(([key, v]) => `${key}=${String(v)}`).join('\n') : undefined;
}


/***/ }),

/***/ 455:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   F: () => (/* binding */ environmentPath),
/* harmony export */   e: () => (/* binding */ mergeEnvironment)
/* harmony export */ });
/* harmony import */ var _schema_value_path_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(622);

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

/***/ 222:
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

/***/ 622:
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
