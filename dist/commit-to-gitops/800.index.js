export const id = 800;
export const ids = [800];
export const modules = {

/***/ 8800:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  i2: () => (/* binding */ loadYamlDocuments),
  Wh: () => (/* binding */ loadYamlWithPositions)
});

// UNUSED EXPORTS: DEFAULT_YAML_LIMITS, loadYaml

// EXTERNAL MODULE: ./node_modules/js-yaml/dist/js-yaml.mjs
var js_yaml = __webpack_require__(3243);
// EXTERNAL MODULE: ./packages/core/src/yaml/yaml-error.ts
var yaml_error = __webpack_require__(6753);
;// CONCATENATED MODULE: ./packages/core/src/yaml/expansion-bound.ts

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
function assertBoundedExpansion(documents, limits, file) {
    // An explicit stack, not recursion: maxDepth is the caller's to raise.
    // depth >= 0: visit `value` at that depth; depth < 0: leave `value` (pop it off the path).
    const values = [];
    const depths = [];
    const onPath = new Set();
    let count = 0;
    for (let d = documents.length - 1; d >= 0; d -= 1) {
        values.push(documents[d]);
        depths.push(0);
    }
    while (values.length > 0) {
        const value = values.pop();
        const depth = depths.pop();
        if (depth < 0) {
            onPath.delete(value);
            continue;
        }
        count += 1;
        if (count > limits.maxNodes) {
            throw new yaml_error/* YamlError */.Iz(file, `alias expansion too large: with its aliases (*name) expanded the YAML holds more than ${limits.maxNodes} values (an alias bomb?)`);
        }
        if (value === null || typeof value !== 'object')
            continue;
        const level = depth + 1;
        if (level > limits.maxDepth) {
            throw new yaml_error/* YamlError */.Iz(file, `nesting deeper than ${limits.maxDepth} levels of maps and lists (aliases expanded)`);
        }
        if (onPath.has(value)) {
            throw new yaml_error/* YamlError */.Iz(file, 'an alias (*name) refers to a map or list that contains it; such a cycle cannot be expanded');
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

;// CONCATENATED MODULE: ./packages/core/src/yaml/yaml-positions.ts

/**
 * Where each value of one document was written, for messages that point at
 * `file:line:column` after the data was loaded and checked. A second pass over
 * js-yaml's event stream (the loader itself keeps no positions); callers make
 * it only on the error path, so a valid file never pays for it.
 *
 * Values that came through an alias (`*base`) or a merge key (`<<: *base`)
 * were not written at their path: asking for them gives the closest place that
 * was, the alias or the map that merged them.
 */
class YamlPositions {
    text;
    places = new Map();
    lineStarts;
    constructor(text, options = {}) {
        this.text = text;
        let events;
        try {
            events = (0,js_yaml/* parseEvents */.PH)(text, { maxDepth: (options.maxDepth ?? 100) + 2 });
        }
        catch {
            return; // a text that does not parse has no places; callers checked it loads first
        }
        this.record(events, options.document ?? 0);
    }
    /** The place of `path`, or of its closest ancestor that has one (`exact` tells which). */
    find(path) {
        for (let length = path.length; length >= 0; length -= 1) {
            const found = this.places.get(keyOf(path.slice(0, length)));
            if (!found)
                continue;
            const key = found.key >= 0 ? this.locate(found.key) : undefined;
            // An empty value (`key:` and nothing after it) has no text of its own: its key stands for it.
            const place = { value: found.value >= 0 ? this.locate(found.value) : key };
            if (key)
                place.key = key;
            return { place, exact: length === path.length };
        }
        return undefined;
    }
    /**
     * The line a reader looks at for `path`: the key of a map entry, the value
     * of a list entry or of the document itself.
     */
    locationOf(path) {
        const found = this.find(path);
        return found ? (found.place.key ?? found.place.value) : undefined;
    }
    record(events, document) {
        const stack = [];
        let documents = -1;
        for (const event of events) {
            if (event.type === js_yaml/* EVENT_ID */.hy.DOCUMENT) {
                documents += 1;
                stack.push({ kind: 'document', record: documents === document });
                continue;
            }
            if (event.type === js_yaml/* EVENT_ID */.hy.POP) {
                stack.pop();
                continue;
            }
            const top = stack.at(-1);
            if (!top)
                continue;
            if (top.kind === 'map' && top.awaitingKey) {
                top.awaitingKey = false;
                // A complex key (a map or list used as a key) cannot be named by a path: skip it and its value.
                top.key = event.type === js_yaml/* EVENT_ID */.hy.SCALAR ? (0,js_yaml/* getScalarValue */.KE)(this.text, event) : undefined;
                top.keyAt = nodeStart(event);
                if (event.type === js_yaml/* EVENT_ID */.hy.MAPPING || event.type === js_yaml/* EVENT_ID */.hy.SEQUENCE)
                    stack.push({ kind: 'skip' });
                continue;
            }
            let path;
            let keyAt = -1;
            switch (top.kind) {
                case 'document':
                    path = top.record ? [] : undefined;
                    break;
                case 'map':
                    top.awaitingKey = true;
                    // `<<` merges its value's keys into this map: they have no path of their own here.
                    path = top.path && top.key !== undefined && top.key !== '<<' ? [...top.path, top.key] : undefined;
                    keyAt = top.keyAt;
                    break;
                case 'list':
                    path = top.path ? [...top.path, top.index] : undefined;
                    top.index += 1;
                    break;
                case 'skip':
                    path = undefined;
                    break;
            }
            const valueAt = nodeStart(event);
            if (path && (valueAt >= 0 || keyAt >= 0))
                this.places.set(keyOf(path), { key: keyAt, value: valueAt });
            if (event.type === js_yaml/* EVENT_ID */.hy.MAPPING)
                stack.push({ kind: 'map', path, key: undefined, keyAt: -1, awaitingKey: true });
            else if (event.type === js_yaml/* EVENT_ID */.hy.SEQUENCE)
                stack.push({ kind: 'list', path, index: 0 });
        }
    }
    locate(offset) {
        const starts = (this.lineStarts ??= lineStarts(this.text));
        let low = 0;
        let high = starts.length - 1;
        while (low < high) {
            const mid = (low + high + 1) >> 1;
            if (starts[mid] <= offset)
                low = mid;
            else
                high = mid - 1;
        }
        return { line: low + 1, column: offset - starts[low] + 1 };
    }
}
function keyOf(path) {
    return JSON.stringify(path);
}
/**
 * Where a node's text starts: its anchor (`&name`) or tag when it has one, the
 * opening quote of a quoted scalar; -1 for an empty scalar, which has no text.
 * js-yaml's anchor offsets start after the `&` or `*`.
 */
function nodeStart(event) {
    if (event.type === js_yaml/* EVENT_ID */.hy.ALIAS)
        return Math.max(0, event.anchorStart - 1);
    let start;
    if (event.type === js_yaml/* EVENT_ID */.hy.SCALAR) {
        const quoted = event.style === js_yaml/* SCALAR_STYLE */.jK.SINGLE_QUOTED || event.style === js_yaml/* SCALAR_STYLE */.jK.DOUBLE_QUOTED;
        start = event.valueStart < 0 ? -1 : quoted ? event.valueStart - 1 : event.valueStart;
    }
    else
        start = event.start;
    const starts = [start, event.anchorStart >= 1 ? event.anchorStart - 1 : -1, event.tagStart].filter((s) => s >= 0);
    return starts.length > 0 ? Math.min(...starts) : -1;
}
function lineStarts(text) {
    const starts = [0];
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1))
        starts.push(i + 1);
    return starts;
}

;// CONCATENATED MODULE: ./packages/core/src/yaml/load-yaml.ts




/**
 * 16 MiB fits the rendered output of very large charts (CRD bundles included);
 * 100 levels (js-yaml's own default) leaves room for the deepest CRD schemas,
 * whose openAPIV3Schema nests two levels per property. The node bound is
 * raised to the input's length when that is larger and the caller did not set
 * it: a YAML text cannot hold more values than characters without aliases, so
 * only expansion can ever trip it.
 */
const DEFAULT_YAML_LIMITS = Object.freeze({
    maxBytes: 16 * 1024 * 1024,
    maxDepth: 100,
    maxNodes: 1_000_000,
});
/**
 * YAML 1.2 core schema (js-yaml's default): `yes`, `no`, `on`, `off`, `y`, `n`
 * are strings, `0644` is the decimal 644 (octal is `0o644`), `1_000` and `1:30`
 * are strings, no timestamps. A YAML 1.1 reader (go-yaml v2 under
 * sigs.k8s.io/yaml, hence Kubernetes and helm) reads `no` as false and `0644`
 * as 420, which is why dumpYaml quotes every such string.
 *
 * Plus merge keys (`<<: *defaults`): not core schema, but helm and Kubernetes
 * honour them and values files use them; ignoring them would load `<<` as a
 * plain key and silently drop the merged values. js-yaml caps their total
 * (10,000 merged keys per load).
 *
 * No other tags: `!!js/function`, `!!binary`, `!!timestamp`, `!!set`, `!foo`
 * are errors with their location.
 */
const SCHEMA = js_yaml/* CORE_SCHEMA */.OU.withTags(js_yaml/* mergeTag */.LJ);
/**
 * The single document in `text`. A text with no document at all (empty,
 * blank, comments only) gives `undefined`, one whose documents are all empty
 * or `null` (a bare `---`) gives `null`; values-file callers treat both as
 * `{}`. More than one non-empty document is an error at the second one's
 * `---`; empty ones around the document are ignored, as loadYamlDocuments
 * ignores them.
 */
function loadYaml(text, source, limits) {
    return loadSingle(text, source.file, limits).value;
}
/**
 * loadYaml, plus where each value was written, for messages about the loaded
 * data that point at `file:line:column`. The positions come from a second
 * parse made on the first call of `positions()`, so a caller that finds
 * nothing wrong never pays for it.
 */
function loadYamlWithPositions(text, source, limits) {
    const { value, document } = loadSingle(text, source.file, limits);
    let positions;
    const maxDepth = limits?.maxDepth ?? DEFAULT_YAML_LIMITS.maxDepth;
    return { value, positions: () => (positions ??= new YamlPositions(text, { document, maxDepth })) };
}
function loadSingle(text, file, limits) {
    const documents = loadStream(text, file, limits);
    const found = documents.flatMap((document, index) => (document === null ? [] : [index]));
    if (found.length > 1) {
        const second = found[1];
        const location = documentLocation(text, second);
        throw new yaml_error/* YamlError */.Iz(file, `expected a single YAML document, found ${found.length} (a line '---' starts another one)`, location ? { location, text } : undefined);
    }
    if (found.length === 1)
        return { value: documents[found[0]], document: found[0] };
    return { value: documents.length > 0 ? null : undefined, document: 0 };
}
/**
 * Every document in a `---`-separated stream (helm and kustomize output,
 * multi-document manifests), skipping empty ones as helm does.
 */
function loadYamlDocuments(text, source, limits) {
    return loadStream(text, source.file, limits).filter((document) => document !== null);
}
function loadStream(text, file, overrides = {}) {
    const limits = {
        maxBytes: overrides.maxBytes ?? DEFAULT_YAML_LIMITS.maxBytes,
        maxDepth: overrides.maxDepth ?? DEFAULT_YAML_LIMITS.maxDepth,
        maxNodes: overrides.maxNodes ?? Math.max(DEFAULT_YAML_LIMITS.maxNodes, text.length),
    };
    // UTF-8 never takes fewer bytes than UTF-16 code units, so a long string is refused without measuring it.
    const measured = text.length <= limits.maxBytes;
    const bytes = measured ? Buffer.byteLength(text, 'utf8') : text.length;
    if (bytes > limits.maxBytes) {
        let [size, limit] = [formatSize(bytes), formatSize(limits.maxBytes)];
        if (size === limit)
            [size, limit] = [`${bytes} bytes`, `${limits.maxBytes} bytes`];
        throw new yaml_error/* YamlError */.Iz(file, `too large: ${measured ? '' : 'at least '}${size} (limit ${limit})`);
    }
    let documents;
    try {
        documents = (0,js_yaml/* loadAll */.gh)(text, { schema: SCHEMA, maxDepth: parserDepth(limits) });
    }
    catch (error) {
        throw asYamlError(error, text, file, limits);
    }
    assertBoundedExpansion(documents, limits, file);
    return documents;
}
function asYamlError(error, text, file, limits) {
    if (!(error instanceof js_yaml/* YAMLException */.tB))
        return error; // not the document's fault: a bug, reported as one
    const { mark } = error;
    const reason = error.reason || error.message;
    if (reason === 'duplicated mapping key' && mark) {
        const key = scalarAt(text, mark.position, limits);
        if (key)
            return new yaml_error/* YamlError */.Iz(file, `duplicate key ${(0,yaml_error/* quoteForMessage */.Hx)(key.value)}`, { location: (0,yaml_error/* locate */.x5)(text, key.start), text });
    }
    const explained = explain(reason, limits);
    if (!mark)
        return new yaml_error/* YamlError */.Iz(file, explained);
    return new yaml_error/* YamlError */.Iz(file, explained, { location: { line: mark.line + 1, column: mark.column + 1 }, text });
}
/** js-yaml's reasons, reworded where ours say more. */
function explain(reason, limits) {
    if (reason === 'duplicated mapping key')
        return 'duplicate key';
    const tag = /^unknown (?:scalar |sequence |mapping )?tag !<(.*)>$/.exec(reason);
    if (tag) {
        const name = tag[1].replace(/^tag:yaml\.org,2002:/, '!!');
        const shown = name.startsWith('!') ? name : `!<${name}>`;
        return `unknown tag ${(0,yaml_error/* quoteForMessage */.Hx)(shown)}: only the YAML core schema's plain maps, lists, strings, numbers, booleans and null are accepted`;
    }
    if (/^nesting exceeded maxDepth/.test(reason))
        return `nesting deeper than ${limits.maxDepth} levels of maps and lists`;
    return reason;
}
/**
 * The key js-yaml marks as a duplicate (it marks where the key's text starts,
 * inside the quotes for a quoted one), decoded, and where it really starts.
 * Only called on the error path, so re-parsing is affordable.
 */
function scalarAt(text, position, limits) {
    for (const event of safeEvents(text, limits)) {
        if (event.type !== js_yaml/* EVENT_ID */.hy.SCALAR || event.valueStart !== position)
            continue;
        const quoted = event.style === js_yaml/* SCALAR_STYLE */.jK.SINGLE_QUOTED || event.style === js_yaml/* SCALAR_STYLE */.jK.DOUBLE_QUOTED;
        return { value: (0,js_yaml/* getScalarValue */.KE)(text, event), start: quoted ? position - 1 : position };
    }
    return undefined;
}
/**
 * Where the `index`-th document of the stream starts: its `---` line, or its
 * first node when it has none (a bare document after `...`).
 */
function documentLocation(text, index) {
    const events = safeEvents(text, { maxDepth: Number.MAX_SAFE_INTEGER - 2 });
    let seen = -1;
    for (let i = 0; i < events.length; i += 1) {
        if (events[i]?.type !== js_yaml/* EVENT_ID */.hy.DOCUMENT)
            continue;
        seen += 1;
        if (seen !== index)
            continue;
        const root = events[i + 1];
        if (!root || root.type === js_yaml/* EVENT_ID */.hy.POP || root.type === js_yaml/* EVENT_ID */.hy.DOCUMENT)
            return undefined;
        const starts = root.type === js_yaml/* EVENT_ID */.hy.ALIAS ? [root.anchorStart] : [root.anchorStart, root.tagStart, 'start' in root ? root.start : root.valueStart];
        const offset = Math.min(...starts.filter((s) => s >= 0));
        if (!Number.isFinite(offset))
            return undefined;
        return (0,yaml_error/* locate */.x5)(text, markerLineBefore(text, offset) ?? offset);
    }
    return undefined;
}
/** The start of the nearest line at or before `offset` that begins with the `---` marker. */
function markerLineBefore(text, offset) {
    let lineStart = offset === 0 ? 0 : text.lastIndexOf('\n', offset - 1) + 1;
    for (;;) {
        if (/^---(?:[ \t\r\n]|$)/.test(text.slice(lineStart, lineStart + 4)))
            return lineStart;
        if (lineStart === 0)
            return undefined;
        const previousEnd = lineStart - 1; // the LF that ends the line before
        lineStart = previousEnd === 0 ? 0 : text.lastIndexOf('\n', previousEnd - 1) + 1;
    }
}
/**
 * js-yaml's own depth check guards its recursion, with a count that runs up
 * to two ahead of ours (the document, and a block sequence at the top level,
 * count as levels); assertBoundedExpansion then applies the exact limit.
 */
function parserDepth(limits) {
    return limits.maxDepth + 2;
}
function safeEvents(text, limits) {
    try {
        return (0,js_yaml/* parseEvents */.PH)(text, { maxDepth: parserDepth(limits) });
    }
    catch {
        return [];
    }
}
function formatSize(bytes) {
    if (bytes >= 1024 * 1024)
        return `${+(bytes / (1024 * 1024)).toFixed(1)} MiB`;
    if (bytes >= 1024)
        return `${+(bytes / 1024).toFixed(1)} KiB`;
    return `${bytes} bytes`;
}


/***/ }),

/***/ 6753:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Hx: () => (/* binding */ quoteForMessage),
/* harmony export */   Iz: () => (/* binding */ YamlError),
/* harmony export */   LA: () => (/* binding */ excerptAt),
/* harmony export */   x5: () => (/* binding */ locate)
/* harmony export */ });
/* harmony import */ var _errors_errors_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(1254);

const EXCERPT_WIDTH = 100;
/**
 * A YAML text the user has to fix. The message says where, the way compilers
 * do (`deploy/values.yaml:12:5: duplicate key 'image'`), and quotes the line
 * with a caret when the place is known. Problems found after parsing (alias
 * expansion, cycles) have no single place and carry only the file.
 */
class YamlError extends _errors_errors_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz {
    file;
    reason;
    line;
    column;
    constructor(file, reason, at) {
        super(YamlError.format(file, reason, at));
        this.file = file;
        this.reason = reason;
        this.line = at?.location.line;
        this.column = at?.location.column;
    }
    static format(file, reason, at) {
        if (!at)
            return `${file}: ${reason}`;
        const { line, column } = at.location;
        const excerpt = excerptAt(at.text, at.location);
        return `${file}:${line}:${column}: ${reason}${excerpt ? `\n${excerpt}` : ''}`;
    }
}
/** The 1-based line and column of a 0-based offset (columns count UTF-16 code units, like js-yaml's). */
function locate(text, offset) {
    const clamped = Math.max(0, Math.min(offset, text.length));
    let line = 1;
    let lineStart = 0;
    for (let i = text.indexOf('\n'); i !== -1 && i < clamped; i = text.indexOf('\n', i + 1)) {
        line += 1;
        lineStart = i + 1;
    }
    return { line, column: clamped - lineStart + 1 };
}
/**
 * The offending line and a caret under the column. Long lines are cut to a
 * window around the column so a minified 4 MiB line never lands in a log;
 * tabs are shown as → so the caret stays aligned.
 */
function excerptAt(text, { line, column }) {
    let start = 0;
    for (let n = 1; n < line; n += 1) {
        const next = text.indexOf('\n', start);
        if (next === -1)
            return '';
        start = next + 1;
    }
    const end = text.indexOf('\n', start);
    let content = text.slice(start, end === -1 ? text.length : end).replace(/\r$/, '');
    let caret = column - 1;
    if (content.length > EXCERPT_WIDTH) {
        const from = Math.max(0, Math.min(caret - EXCERPT_WIDTH / 2, content.length - EXCERPT_WIDTH));
        const head = from > 0 ? '…' : '';
        const tail = from + EXCERPT_WIDTH < content.length ? '…' : '';
        content = head + content.slice(from, from + EXCERPT_WIDTH) + tail;
        caret = caret - from + head.length;
    }
    content = content.replace(/\t/g, '→');
    const gutter = String(line).padStart(5);
    return `${gutter} | ${content}\n${' '.repeat(gutter.length)} | ${' '.repeat(Math.max(0, caret))}^`;
}
/** Text from the user inside one of our messages: quoted, on one line, bounded. */
function quoteForMessage(value, max = 60) {
    const short = value.length > max ? `${value.slice(0, max)}…` : value;
    // eslint-disable-next-line no-control-regex
    return /[\u0000-\u001f\u007f-\u009f\u2028\u2029']/.test(short) ? JSON.stringify(short) : `'${short}'`;
}


/***/ })

};
