export const id = 824;
export const ids = [824];
export const modules = {

/***/ 824:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ENVIRONMENT_STEPS: () => (/* binding */ ENVIRONMENT_STEPS),
/* harmony export */   STEP_ACTIONS: () => (/* binding */ STEP_ACTIONS),
/* harmony export */   configInputs: () => (/* binding */ configInputs)
/* harmony export */ });
/* harmony import */ var _errors_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(254);
/* harmony import */ var _environment_settings_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(623);


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
        const app = (0,_environment_settings_js__WEBPACK_IMPORTED_MODULE_1__/* .appSettings */ .PF)(file, settingsOptions);
        return asInputs(step === 'version' ? app.version : app.build);
    }
    if (!environment)
        throw new _errors_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(`the ${step} step needs an environment (${file.source.file} has ${Object.keys(file.environments).join(', ')})`);
    const settings = (0,_environment_settings_js__WEBPACK_IMPORTED_MODULE_1__/* .settingsFor */ .zc)(file, environment, settingsOptions);
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


/***/ })

};
