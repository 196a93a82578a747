export const id = 813;
export const ids = [813];
export const modules = {

/***/ 2813:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  commitToGitopsAction: () => (/* binding */ commitToGitopsAction),
  landDesiredState: () => (/* binding */ landDesiredState)
});

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
;// CONCATENATED MODULE: ./packages/core/src/log/markdown.ts
/**
 * Text put into the Markdown of job summaries, pull requests and reports,
 * so that a value (a commit message, a path, an error from a server) can
 * neither format nor break what it is written into.
 */
/** Inline text: no emphasis, code, links, HTML or table breaks. */
function markdownText(text) {
    return text
        .replace(/\r\n?|\n/g, ' ')
        .replace(/&/g, '&amp;')
        .replace(/</g, '&lt;')
        .replace(/>/g, '&gt;')
        .replace(/[\\`*_[\]|#~!]/g, '\\$&');
}
/** A table cell: one line, its `|` escaped. */
function tableCell(text) {
    return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}
/** A fence longer than any run of backticks in the text, so the text cannot close it. */
function fenceFor(text) {
    const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
    return '`'.repeat(longest + 1);
}
/** Inline code that survives backticks in the value. */
function inlineCode(text) {
    const fence = text.includes('`') ? fenceFor(text).slice(1) : '`';
    return `${fence}${fence.length > 1 ? ' ' : ''}${text}${fence.length > 1 ? ' ' : ''}${fence}`;
}
/** A fenced code block no line of the text can close early. */
function codeBlock(text, language = '') {
    const fence = fenceFor(text);
    return `${fence}${language}\n${text}\n${fence}`;
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/commit-summary.ts

/** The job summary keeps well under GitHub's 1 MiB per step; a larger diff is cut. */
const MAX_SUMMARY_PATCH = 60_000;
const MAX_LISTED_FILES = 200;
function commit_summary_link(text, url) {
    return url ? `[${text}](${url})` : text;
}
function fileList(title, files) {
    if (files.length === 0)
        return [];
    const shown = files.slice(0, MAX_LISTED_FILES).map((f) => `- ${inlineCode(f)}`);
    if (files.length > MAX_LISTED_FILES)
        shown.push(`- … and ${files.length - MAX_LISTED_FILES} more`);
    return [`**${title}** (${files.length})`, '', ...shown, ''];
}
/** What a reviewer wants to see of one run: what happened, to which version, and the diff of the desired state. */
function commitSummary(r) {
    const short = r.commitSha.slice(0, 12);
    let outcome;
    if (r.dryRun)
        outcome = r.changed ? 'dry run: would commit the changes below' : 'dry run: nothing to change';
    else if (r.mode === 'pull-request') {
        const pr = r.pullRequestNumber ? commit_summary_link(`#${r.pullRequestNumber}`, r.pullRequestUrl) : '';
        outcome = r.changed
            ? `proposed in ${pr || 'a pull request'} (${commit_summary_link(short, r.commitUrl)} on \`${r.branch}\`)`
            : pr
                ? `already proposed in ${pr}`
                : `no change: \`${r.baseBranch}\` already holds this desired state`;
    }
    else {
        outcome = r.changed ? `committed ${commit_summary_link(short, r.commitUrl)}` : `no change: already in place at ${commit_summary_link(short, r.commitUrl)}`;
    }
    const version = r.version
        ? r.previousVersion && r.previousVersion !== r.version
            ? `${r.previousVersion} → **${r.version}**`
            : `**${r.version}**`
        : '(none given)';
    const lines = [
        `### commit-to-gitops: ${inlineCode(r.path)}`,
        '',
        '| | |',
        '|---|---|',
        `| repository | ${inlineCode(r.repository)} |`,
        `| branch | ${inlineCode(r.baseBranch)}${r.branch !== r.baseBranch ? ` (via ${inlineCode(r.branch)})` : ''} |`,
        `| result | ${outcome} |`,
        `| version | ${version} |`,
        `| files | ${r.diff.added.length} added, ${r.diff.changed.length} changed, ${r.diff.removed.length} removed |`,
        `| push attempts | ${r.attempts} |`,
        '',
    ];
    for (const note of r.notes)
        lines.push(`> ${note.replace(/\n/g, ' ')}`, '');
    lines.push(...fileList('Added', r.diff.added), ...fileList('Changed', r.diff.changed), ...fileList('Removed', r.diff.removed));
    if (r.patch) {
        const cut = r.patch.length > MAX_SUMMARY_PATCH;
        const patch = cut ? r.patch.slice(0, MAX_SUMMARY_PATCH) : r.patch;
        const fence = fenceFor(patch);
        lines.push('<details><summary>Diff of the desired state</summary>', '', `${fence}diff`, patch.trimEnd(), fence, '');
        if (cut)
            lines.push(`(cut at ${MAX_SUMMARY_PATCH.toLocaleString('en-US')} characters of ${r.patch.length.toLocaleString('en-US')})`, '');
        lines.push('</details>', '');
    }
    return lines.join('\n');
}

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./packages/core/src/errors/errors.ts
var errors = __webpack_require__(1254);
// EXTERNAL MODULE: ./packages/core/src/exec/private-temp-dir.ts
var private_temp_dir = __webpack_require__(8797);
// EXTERNAL MODULE: ./packages/core/src/git/git.ts + 2 modules
var git = __webpack_require__(6544);
// EXTERNAL MODULE: ./packages/core/src/log/neutralise.ts
var neutralise = __webpack_require__(836);
;// CONCATENATED MODULE: ./packages/core/src/gitops/commit-message.ts

const TRAILERS = [
    ['sourceRepository', 'Source-Repository'],
    ['sourceCommit', 'Source-Commit'],
    ['version', 'Version'],
    ['environment', 'Environment'],
    ['workflowRun', 'Workflow-Run'],
];
/** The subject when `message` is not given: `deploy(<app>): <environment> <version>`, words left out when unknown. */
function defaultSubject(app, environment, version) {
    const rest = [environment, version].filter(Boolean).join(' ');
    return rest ? `deploy(${app}): ${rest}` : `deploy(${app})`;
}
/**
 * The full message: the user's subject (and body, if they wrote one), a blank
 * line, then the trailers, which `git interpret-trailers --parse` and GitHub
 * read from the last paragraph. A value with a line break could forge a
 * trailer, so it is refused.
 */
function commitMessage(subjectAndBody, provenance) {
    const text = subjectAndBody.replace(/\r\n?/g, '\n').trim();
    if (text === '')
        throw new errors/* InputError */.dz("input 'message' is empty");
    const trailers = [];
    for (const [field, key] of TRAILERS) {
        const value = provenance[field].trim();
        if (!value)
            continue;
        if (/[\r\n\u2028\u2029]/.test(value))
            throw new errors/* InputError */.dz(`the ${key} trailer cannot contain a line break (got '${value.slice(0, 60)}')`);
        trailers.push(`${key}: ${value}`);
    }
    return trailers.length ? `${text}\n\n${trailers.join('\n')}\n` : `${text}\n`;
}

// EXTERNAL MODULE: ./node_modules/semver/classes/semver.js
var semver = __webpack_require__(7163);
var semver_default = /*#__PURE__*/__webpack_require__.n(semver);
;// CONCATENATED MODULE: ./packages/core/src/render/provenance.ts
/**
 * Where a rendered object came from. One key each, shared with
 * commit-to-gitops, which reads `VERSION_ANNOTATION` for its
 * never-go-backwards check. They go on each object's own metadata, never on
 * a pod template: a changed commit must not restart pods by itself.
 */
const VERSION_ANNOTATION = 'gitops-actions.io/version';
const SOURCE_REPOSITORY_ANNOTATION = 'gitops-actions.io/source-repository';
const SOURCE_COMMIT_ANNOTATION = 'gitops-actions.io/source-commit';
/** The common labels and provenance annotations, merged into an object's metadata (ours win on our keys). */
function withProvenance(object, provenance) {
    const labels = {
        ...(object.metadata?.labels ?? {}),
        'app.kubernetes.io/name': provenance.app,
        'app.kubernetes.io/instance': `${provenance.app}-${provenance.environment}`,
        'app.kubernetes.io/managed-by': 'gitops-actions',
    };
    const annotations = { ...(object.metadata?.annotations ?? {}) };
    if (provenance.version) {
        labels['app.kubernetes.io/version'] = labelValue(provenance.version);
        annotations[VERSION_ANNOTATION] = provenance.version;
    }
    if (provenance.sourceRepository)
        annotations[SOURCE_REPOSITORY_ANNOTATION] = provenance.sourceRepository;
    if (provenance.sourceCommit)
        annotations[SOURCE_COMMIT_ANNOTATION] = provenance.sourceCommit;
    return { ...object, metadata: { ...(object.metadata ?? {}), labels, annotations } };
}
/** Label values: at most 63 characters of [A-Za-z0-9_.-], alphanumeric at both ends ('+' of semver build metadata becomes '_'). */
function labelValue(text) {
    return text
        .replace(/[^A-Za-z0-9_.-]/g, '_')
        .slice(0, 63)
        .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
}

;// CONCATENATED MODULE: ./packages/core/src/version/semver-tag.ts

// The regular expression semver.org gives for a valid version, without a leading 'v'.
const SEMVER = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;
/** Strict semver: no leading 'v' or '=', no loose forms. */
function parseStrictSemver(text) {
    return SEMVER.test(text) ? new (semver_default())(text) : undefined;
}
// A release version: no pre-release part (build metadata allowed). Cheap to test on thousands of tags.
const RELEASE = /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:\+[0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*)?$/;
function releaseTagName(name, object, prefix) {
    if (!name.startsWith(prefix))
        return undefined;
    const m = RELEASE.exec(name.slice(prefix.length));
    return m ? { name, object, key: [Number(m[1]), Number(m[2]), Number(m[3])] } : undefined;
}
function compareReleaseKeysDescending(a, b) {
    return b.key[0] - a.key[0] || b.key[1] - a.key[1] || b.key[2] - a.key[2];
}
/** The release version a tag carries under `prefix`; pre-release and other tags give undefined. */
function releaseVersionOfTag(name, prefix) {
    return releaseTagName(name, '', prefix) ? new SemVer(name.slice(prefix.length)) : undefined;
}
/** The highest version among tags, by semver precedence (v1.10.0 > v1.9.0). */
function highest(tags) {
    let best;
    for (const tag of tags)
        if (!best || tag.version.compare(best.version) > 0)
            best = tag;
    return best;
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./packages/core/src/yaml/load-yaml.ts + 2 modules
var load_yaml = __webpack_require__(8800);
;// CONCATENATED MODULE: ./packages/core/src/yaml/manifest-files.ts



const MANIFEST = /\.(ya?ml|json)$/i;
/** A file of a rendered directory held in memory (read from git objects); undefined unless its name is a manifest's. */
function manifestFile(path, text) {
    if (!MANIFEST.test(path))
        return undefined;
    return { path, text, documents: () => (0,load_yaml/* loadYamlDocuments */.i2)(text, { file: path }) };
}
/**
 * The YAML and JSON files below a rendered directory (a GitOps checkout of
 * it, usually). Symbolic links are never followed: in a clone of somebody
 * else's repository they could point anywhere. No directory: no files.
 */
function manifestFiles(dir) {
    const files = [];
    const walk = (current, prefix) => {
        let entries;
        try {
            entries = (0,external_node_fs_.readdirSync)(current, { withFileTypes: true });
        }
        catch {
            return;
        }
        for (const entry of entries) {
            const path = prefix ? `${prefix}/${entry.name}` : entry.name;
            const absolute = (0,external_node_path_.join)(current, entry.name);
            if (entry.isDirectory())
                walk(absolute, path);
            else if (entry.isFile() && MANIFEST.test(entry.name))
                files.push(manifestFile(path, (0,external_node_fs_.readFileSync)(absolute, 'utf8')));
        }
    };
    if ((0,external_node_fs_.lstatSync)(dir, { throwIfNoEntry: false })?.isDirectory())
        walk(dir, '');
    return files;
}
/** Every document of every file that parses; a file that does not is left out (its caller reports it, or it shows as drift). */
function manifestDocuments(dir) {
    return manifestFiles(dir).flatMap((file) => {
        try {
            return file.documents();
        }
        catch {
            return [];
        }
    });
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/deployed-version.ts





/**
 * Reads `gitops-actions.io/version` from the metadata of every object in the
 * directory's YAML and JSON files. Symbolic links are never followed: in a
 * clone of somebody else's repository they could point anywhere.
 */
function readDirectoryVersion(dir) {
    return directoryVersion(manifestFiles(dir));
}
/** The same for a directory's manifests read some other way (from git objects). */
function directoryVersion(files) {
    const found = new Set();
    const unreadable = [];
    for (const file of files) {
        if (!file.text.includes(VERSION_ANNOTATION))
            continue; // most files of other tools: skip the parse
        try {
            for (const version of versionsIn(file.documents()))
                found.add(version);
        }
        catch (e) {
            if (!(e instanceof errors/* InputError */.dz))
                throw e;
            unreadable.push(file.path);
        }
    }
    const versions = [...found].sort(compareVersions);
    return { version: versions.at(-1) ?? '', versions, unreadable };
}
function versionsIn(documents) {
    const out = [];
    for (const document of documents) {
        const metadata = document?.metadata;
        const value = metadata?.annotations?.[VERSION_ANNOTATION];
        if (typeof value === 'string' && value.trim() !== '')
            out.push(value.trim());
    }
    return out;
}
/** A version as semver, accepting one leading 'v' (tags are often written that way). */
function asSemver(version) {
    return parseStrictSemver(version.replace(/^v(?=\d)/, ''));
}
/** Semver precedence where both are semver; otherwise plain text order, semver first. */
function compareVersions(a, b) {
    const sa = asSemver(a);
    const sb = asSemver(b);
    if (sa && sb)
        return sa.compare(sb) || (a < b ? -1 : a > b ? 1 : 0);
    if (sa)
        return 1;
    if (sb)
        return -1;
    return a < b ? -1 : a > b ? 1 : 0;
}
/**
 * Never go backwards by accident: a lower version than the one in place is
 * refused unless the rollback is explicit. Only semantic versions are
 * compared; anything else cannot be ordered and is let through with a note.
 */
function decideVersion(ours, inPlace, allowDowngrade, where) {
    if (!ours)
        return { proceed: true, reason: `no version given or found in the source: the never-go-backwards check is skipped` };
    if (!inPlace)
        return { proceed: true, reason: `${ours}: ${where} has no version yet` };
    const a = asSemver(ours);
    const b = asSemver(inPlace);
    if (!a || !b) {
        const which = !a ? ours : inPlace;
        return { proceed: true, reason: `${ours} over ${inPlace} in ${where}: '${which}' is not a semantic version, so the two are not compared` };
    }
    const order = a.compare(b);
    if (order > 0)
        return { proceed: true, reason: `${ours} replaces ${inPlace} in ${where} (upgrade)` };
    if (order === 0)
        return { proceed: true, reason: `${ours} is already the version in ${where}` };
    if (allowDowngrade)
        return { proceed: true, downgrade: true, reason: `${ours} replaces the higher ${inPlace} in ${where} (downgrade allowed by allow-downgrade)` };
    return {
        proceed: false,
        reason: `refusing to replace version ${inPlace} in ${where} with the lower ${ours}: a newer deployment is already in place. ` +
            "For an intended rollback, set 'allow-downgrade: true'.",
    };
}

// EXTERNAL MODULE: ./packages/core/src/gitops/clone-command.ts
var clone_command = __webpack_require__(2671);
;// CONCATENATED MODULE: ./packages/core/src/gitops/git-failure.ts
const PATTERNS = [
    ['missing-ref', /couldn't find remote ref|Remote branch .* not found/i],
    ['permission', /returned error: 403|HTTP 403|Permission to .* denied|Write access to repository not granted|denied to deploy key|not allowed to push|You are not allowed/i],
    ['auth', /Authentication failed|could not read (Username|Password)|terminal prompts disabled|returned error: 401|HTTP 401|Invalid username or (password|token)|Permission denied \(publickey|Host key verification failed|invalid format|Load key .*: /i],
    ['not-found', /returned error: 404|HTTP 404|Repository not found|does not appear to be a git repository|repository '.*' not found/i],
    ['unreachable', /Could not resolve host|Could not resolve hostname|Failed to connect|Connection refused|Network is unreachable|No route to host|Name or service not known|connect to host .* port/i],
    [
        'transient',
        /RPC failed|remote end hung up|Empty reply from server|Connection reset|connection was reset|transfer closed|early EOF|unexpected disconnect|returned error: 5\d\d|HTTP 5\d\d|timed out|Operation too slow|SSL_read|SSL_ERROR|gnutls|index-pack failed|the remote end hung|protocol error|unexpected flush|Recv failure|Send failure|broken pipe|killed by/i,
    ],
];
function classifyGitFailure(text) {
    for (const [kind, pattern] of PATTERNS)
        if (pattern.test(text))
            return kind;
    return 'other';
}
/** Reasons a ref update is refused because the ref moved first (git push's and receive-pack's words). */
const LOST_RACE = /non-fast-forward|fetch first|cannot lock ref|incorrect old value|stale info|failed to (update|lock) ref|already exists|failed to update/i;
/**
 * Reads `git push --porcelain` for `ref`: its status line on stdout
 * (`!\t<src>:<dst>\t[rejected] (fetch first)`), otherwise the failure on stderr.
 */
function pushOutcome(ref, exitCode, stdout, stderr) {
    const line = stdout.split('\n').find((l) => /^[ +\-*!=]\t/.test(l) && l.split('\t')[1]?.endsWith(`:${ref}`));
    if (line) {
        const flag = line[0];
        const summary = line.split('\t')[2] ?? '';
        if (flag !== '!')
            return { kind: 'pushed' };
        const reason = /\((.*)\)\s*$/.exec(summary)?.[1] ?? summary;
        if (LOST_RACE.test(reason))
            return { kind: 'lost-race', reason };
        const remoteLines = stderr
            .split('\n')
            .filter((l) => l.startsWith('remote:'))
            .map((l) => l.replace(/^remote:\s?/, '').trimEnd())
            .filter((l) => l.trim() !== '');
        return { kind: 'refused', reason: `${summary}`.trim(), remoteLines };
    }
    const text = `${stderr}\n${stdout}`;
    if (exitCode === 0)
        return { kind: 'pushed' };
    return { kind: 'failed', failure: classifyGitFailure(text), text: text.trim() };
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
;// CONCATENATED MODULE: ./packages/core/src/gitops/git-tree.ts



/** The object format of a repository, from its config (`extensions.objectFormat`); sha1 unless it says sha256. */
function objectFormatOf(gitDir) {
    return /^\s*objectformat\s*=\s*sha256\s*$/im.test((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(gitDir, 'config'), 'utf8')) ? 'sha256' : 'sha1';
}
function objectId(type, body, format = 'sha1') {
    return (0,external_node_crypto_.createHash)(format === 'sha256' ? 'sha256' : 'sha1')
        .update(`${type} ${body.length}\0`)
        .update(body)
        .digest('hex');
}
/** Git's order: byte order of the names, where a tree's name counts as if it ended in '/'. Each key is made once (a root can hold thousands of apps). */
function sortEntries(entries) {
    return entries
        .map((entry) => ({ entry, key: Buffer.from(entry.type === 'tree' ? `${entry.name}/` : entry.name, 'utf8') }))
        .sort((a, b) => Buffer.compare(a.key, b.key))
        .map((keyed) => keyed.entry);
}
/** The tree object's bytes: `<mode> <name>\0<raw id>` per entry (already in git's order); tree modes are written `40000`. */
function treeBody(ordered) {
    const heads = ordered.map((e) => `${e.mode.replace(/^0+/, '')} ${e.name}\0`);
    const idBytes = ordered.length > 0 ? ordered[0].oid.length / 2 : 0;
    const body = Buffer.allocUnsafe(heads.reduce((n, h) => n + Buffer.byteLength(h, 'utf8') + idBytes, 0));
    let at = 0;
    ordered.forEach((e, i) => {
        at += body.write(heads[i], at, 'utf8');
        at += body.write(e.oid, at, 'hex');
    });
    return body;
}
function planTree(entries, format = 'sha1') {
    const names = new Set();
    for (const e of entries) {
        if (names.has(e.name))
            throw new Error(`tree would have '${e.name}' twice`);
        names.add(e.name);
    }
    const ordered = sortEntries(entries);
    const body = treeBody(ordered);
    return { oid: objectId('tree', body, format), entries: ordered, body };
}
/** Entries of `git ls-tree -z` output. */
function parseLsTree(output) {
    const entries = [];
    for (const record of output.split('\0')) {
        if (record === '')
            continue;
        const tab = record.indexOf('\t');
        const [mode, type, oid] = record.slice(0, tab).split(' ');
        if (tab < 0 || !mode || !oid || (type !== 'blob' && type !== 'tree' && type !== 'commit')) {
            throw new Error(`unexpected git ls-tree record: ${JSON.stringify(record.slice(0, 200))}`);
        }
        entries.push({ mode, type, oid, name: record.slice(tab + 1) });
    }
    return entries;
}
/** The root tree a commit object's bytes name (its first line). */
function treeOfCommit(body) {
    return /^tree ([0-9a-f]{40}|[0-9a-f]{64})\n/.exec(body.toString('latin1', 0, 80))?.[1];
}
/** Entries of a tree object's bytes (the inverse of the body written above); modes as ls-tree prints them. */
function parseTreeBody(body, format = 'sha1') {
    const idBytes = format === 'sha256' ? 32 : 20;
    const entries = [];
    let at = 0;
    while (at < body.length) {
        const space = body.indexOf(0x20, at);
        const nul = body.indexOf(0, space + 1);
        if (space < 0 || nul < 0 || nul + 1 + idBytes > body.length)
            throw new Error('a tree object is malformed');
        const mode = body.toString('latin1', at, space).padStart(6, '0');
        const type = mode === '040000' ? 'tree' : mode === '160000' ? 'commit' : 'blob';
        entries.push({ mode, type, oid: body.toString('hex', nul + 1, nul + 1 + idBytes), name: body.toString('utf8', space + 1, nul) });
        at = nul + 1 + idBytes;
    }
    return entries;
}
/**
 * The trees of the source directory, deepest first, ending with the
 * directory itself: what the target directory's tree becomes.
 */
function planSourceTrees(blobs, format = 'sha1') {
    const root = { files: [], dirs: new Map() };
    for (const blob of blobs) {
        const parts = blob.path.split('/');
        let dir = root;
        for (const part of parts.slice(0, -1)) {
            let next = dir.dirs.get(part);
            if (!next)
                dir.dirs.set(part, (next = { files: [], dirs: new Map() }));
            dir = next;
        }
        dir.files.push({ mode: blob.mode, type: 'blob', oid: blob.oid, name: parts.at(-1) });
    }
    const planned = [];
    const plan = (dir) => {
        const entries = [...dir.files];
        for (const [name, child] of dir.dirs)
            entries.push({ mode: '040000', type: 'tree', oid: plan(child), name });
        const tree = planTree(entries, format);
        planned.push(tree);
        return tree.oid;
    };
    plan(root);
    return planned;
}
/**
 * The ancestors of the target directory rebuilt around its new tree: for
 * `a/b/app`, the new `a/b`, `a` and root, given their current entries
 * (empty for a directory that does not exist yet). Deepest first; the last
 * is the new root tree.
 */
function planAncestors(segments, listings, targetTree, format = 'sha1') {
    const planned = [];
    let child = targetTree;
    for (let level = segments.length - 1; level >= 0; level--) {
        const name = segments[level];
        const entries = (listings[level] ?? []).filter((e) => e.name !== name);
        entries.push({ mode: '040000', type: 'tree', oid: child, name });
        const tree = planTree(entries, format);
        planned.push(tree);
        child = tree.oid;
    }
    return planned;
}

// EXTERNAL MODULE: external "node:url"
var external_node_url_ = __webpack_require__(3136);
;// CONCATENATED MODULE: ./packages/core/src/http/one-request.ts
/**
 * One request on a connection of its own (`agent: false`: closed after it,
 * so nothing keeps the step alive), with a deadline for the whole exchange
 * (ETIMEDOUT) and a cap on what is read. node:http(s) is loaded only when a
 * request is made, so a step that sends none does not pay for it at start-up.
 */
async function oneRequest(url, options) {
    const https = url.protocol === 'https:';
    const { request } = https ? await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 4708, 23)) : await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 7067, 23));
    const { method, headers, body, timeoutMs, maxBytes, tooLarge } = options;
    return new Promise((resolve, reject) => {
        const req = request(url, {
            method,
            agent: false,
            ...(https && options.verifyTls === false ? { rejectUnauthorized: false } : {}),
            headers: body ? { ...headers, 'Content-Length': String(body.length) } : headers,
        }, (res) => {
            const chunks = [];
            let size = 0;
            res.on('data', (chunk) => {
                size += chunk.length;
                if (size <= maxBytes)
                    chunks.push(chunk);
                else if (tooLarge === 'fail')
                    req.destroy(Object.assign(new Error(`the answer is larger than ${maxBytes / 1024 / 1024} MB`), { code: 'ETOOBIG' }));
            });
            res.on('end', () => {
                clearTimeout(timer);
                const bytes = Buffer.concat(chunks);
                resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes.toString('utf8'), bytes });
            });
            res.on('error', (error) => {
                clearTimeout(timer);
                reject(error);
            });
        });
        const timer = setTimeout(() => {
            req.destroy(Object.assign(new Error(`no answer within ${timeoutMs / 1000} s`), { code: 'ETIMEDOUT' }));
        }, timeoutMs);
        req.on('error', (error) => {
            clearTimeout(timer);
            reject(error);
        });
        req.end(body);
    });
}

// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(8522);
;// CONCATENATED MODULE: ./packages/core/src/gitops/pack-file.ts



const TYPES = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/**
 * Every object of a pack (gitpack-format, version 2 or 3), by id. The pack's
 * trailing checksum is verified and each object's size checked against its
 * header, so a pack cut short or altered on the way is an error, never a
 * wrong object. Deltas may name a base in the same pack only: a fetch that
 * does not ask for a thin pack gets nothing else.
 */
function readPack(pack, format) {
    const hashLength = format === 'sha256' ? 32 : 20;
    if (pack.length < 12 + hashLength || pack.toString('latin1', 0, 4) !== 'PACK')
        throw new Error('not a git pack');
    const version = pack.readUInt32BE(4);
    if (version !== 2 && version !== 3)
        throw new Error(`pack version ${version} is not supported`);
    const trailer = pack.subarray(pack.length - hashLength);
    const content = pack.subarray(0, pack.length - hashLength);
    if (!(0,external_node_crypto_.createHash)(format).update(content).digest().equals(trailer))
        throw new Error('the pack checksum does not match: it was damaged on the way');
    const count = pack.readUInt32BE(8);
    const entries = [];
    const byOffset = new Map();
    let at = 12;
    for (let i = 0; i < count; i++) {
        const { entry, next } = entryAt(content, at, hashLength);
        entries.push(entry);
        byOffset.set(entry.offset, entry);
        at = next;
    }
    if (at !== content.length)
        throw new Error(`the pack has ${content.length - at} bytes after its ${count} objects`);
    const objects = new Map();
    const resolved = new Map();
    const pending = new Map();
    const resolve = (entry, depth) => {
        const done = resolved.get(entry.offset);
        if (done)
            return done;
        if (depth > 10_000)
            throw new Error('a delta chain in the pack does not end');
        let object;
        if (entry.type === 'ofs-delta') {
            const baseEntry = byOffset.get(entry.base);
            if (!baseEntry)
                throw new Error(`a delta at byte ${entry.offset} names no object of the pack as its base`);
            const base = resolve(baseEntry, depth + 1);
            object = base && { type: base.type, body: applyDelta(base.body, entry.data) };
        }
        else if (entry.type === 'ref-delta') {
            const base = objects.get(entry.base);
            object = base && { type: base.type, body: applyDelta(base.body, entry.data) };
        }
        else {
            object = { type: entry.type, body: entry.data };
        }
        if (!object)
            return undefined;
        resolved.set(entry.offset, object);
        const oid = objectId(object.type, object.body, format);
        objects.set(oid, object);
        // Deltas on this object by id that came before it in the pack.
        for (const waiting of pending.get(oid) ?? [])
            resolve(waiting, depth + 1);
        pending.delete(oid);
        return object;
    };
    for (const entry of entries) {
        if (resolve(entry, 0))
            continue;
        const base = entry.base;
        pending.set(base, [...(pending.get(base) ?? []), entry]);
    }
    if (pending.size > 0)
        throw new Error(`the pack has deltas on ${pending.size} object(s) it does not hold (a thin pack)`);
    return objects;
}
/** The object stored at `offset` of a pack (delta data not yet applied), and where the next one starts. */
function entryAt(pack, offset, hashLength) {
    let at = offset;
    let byte = byteAt(pack, at++);
    const kind = (byte >> 4) & 7;
    let size = byte & 15;
    for (let shift = 4; byte & 0x80; shift += 7) {
        byte = byteAt(pack, at++);
        size += (byte & 0x7f) * 2 ** shift;
    }
    if (kind === OFS_DELTA) {
        byte = byteAt(pack, at++);
        let distance = byte & 0x7f;
        while (byte & 0x80) {
            byte = byteAt(pack, at++);
            distance = (distance + 1) * 128 + (byte & 0x7f);
        }
        const inflated = inflateAt(pack, at, size);
        return { entry: { offset, type: 'ofs-delta', base: offset - distance, data: inflated.data }, next: at + inflated.consumed };
    }
    if (kind === REF_DELTA) {
        if (at + hashLength > pack.length)
            throw new Error('the pack ends inside an object');
        const base = pack.toString('hex', at, at + hashLength);
        const inflated = inflateAt(pack, at + hashLength, size);
        return { entry: { offset, type: 'ref-delta', base, data: inflated.data }, next: at + hashLength + inflated.consumed };
    }
    const type = TYPES[kind];
    if (!type)
        throw new Error(`object of unknown type ${kind} at byte ${offset} of the pack`);
    const inflated = inflateAt(pack, at, size);
    return { entry: { offset, type, data: inflated.data }, next: at + inflated.consumed };
}
function byteAt(pack, at) {
    const byte = pack[at];
    if (byte === undefined)
        throw new Error('the pack ends inside an object');
    return byte;
}
/** One zlib stream of the pack: its bytes, and how many bytes of the pack it took. */
function inflateAt(pack, at, size) {
    const { buffer, engine } = (0,external_node_zlib_.inflateSync)(pack.subarray(at), { info: true });
    if (buffer.length !== size)
        throw new Error(`an object at byte ${at} of the pack inflates to ${buffer.length} bytes, its header says ${size}`);
    return { data: buffer, consumed: engine.bytesWritten };
}
/** Git's delta: base and result sizes, then copy (from the base) and insert (literal) instructions. */
function applyDelta(base, delta) {
    let at = 0;
    const varint = () => {
        let value = 0;
        let shift = 0;
        let byte;
        do {
            byte = byteAt(delta, at++);
            value += (byte & 0x7f) * 2 ** shift;
            shift += 7;
        } while (byte & 0x80);
        return value;
    };
    if (varint() !== base.length)
        throw new Error('a delta in the pack was made for another base');
    const result = Buffer.allocUnsafe(varint());
    let out = 0;
    while (at < delta.length) {
        const op = delta[at++];
        if (op & 0x80) {
            let offset = 0;
            let size = 0;
            for (let bit = 0; bit < 4; bit++)
                if (op & (1 << bit))
                    offset += byteAt(delta, at++) * 2 ** (8 * bit);
            for (let bit = 0; bit < 3; bit++)
                if (op & (1 << (4 + bit)))
                    size += byteAt(delta, at++) * 2 ** (8 * bit);
            if (size === 0)
                size = 0x10000;
            if (offset + size > base.length || out + size > result.length)
                throw new Error('a delta in the pack copies past its base or result');
            base.copy(result, out, offset, offset + size);
            out += size;
        }
        else if (op !== 0) {
            if (at + op > delta.length || out + op > result.length)
                throw new Error('a delta in the pack inserts past its end');
            delta.copy(result, out, at, at + op);
            at += op;
            out += op;
        }
        else {
            throw new Error('a delta in the pack has a reserved instruction');
        }
    }
    if (out !== result.length)
        throw new Error('a delta in the pack makes fewer bytes than it says');
    return result;
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/pkt-line.ts
/**
 * Git's pkt-line framing (gitprotocol-common): four hex digits of length
 * (the four included), then the payload; `0000` flush, `0001` delimiter,
 * `0002` end of a response. What protocol v2 requests and answers are made of.
 */
const FLUSH = Buffer.from('0000');
const DELIMITER = Buffer.from('0001');
/** The longest pkt-line git sends or accepts (LARGE_PACKET_MAX). */
const MAX_PKT_LENGTH = 65520;
function pktLine(payload) {
    const bytes = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
    if (bytes.length + 4 > MAX_PKT_LENGTH)
        throw new Error(`pkt-line of ${bytes.length} bytes is over git's limit`);
    return Buffer.concat([Buffer.from((bytes.length + 4).toString(16).padStart(4, '0')), bytes]);
}
/** The pkt-lines of a whole answer, in order; a malformed length is an error (the stream is not git's). */
function* readPktLines(stream) {
    let at = 0;
    while (at < stream.length) {
        const head = stream.toString('latin1', at, at + 4);
        if (!/^[0-9a-f]{4}$/.test(head))
            throw new Error(`not a pkt-line at byte ${at}: ${JSON.stringify(head)}`);
        const length = parseInt(head, 16);
        if (length === 0)
            yield { kind: 'flush' };
        else if (length === 1)
            yield { kind: 'delimiter' };
        else if (length === 2)
            yield { kind: 'response-end' };
        else if (length < 4 || at + length > stream.length)
            throw new Error(`pkt-line at byte ${at} claims ${length} bytes; ${stream.length - at} are left`);
        else
            yield { kind: 'data', payload: stream.subarray(at + 4, at + length) };
        at += length < 4 ? 4 : length;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/fetch-objects.ts





/** The biggest answer taken: a directory of manifests is kilobytes; this bounds a hostile server. */
const MAX_PACK_BYTES = 256 * 1024 * 1024;
const TIMEOUT_MS = 60_000;
/**
 * Objects by id, with everything they reach (a tree brings its subtrees and
 * blobs), in one protocol v2 `fetch` of our own: for file:// one
 * `git upload-pack --stateless-rpc`, for http(s) one POST to the smart HTTP
 * endpoint with the access's header. No git client process, no index-pack,
 * no checkout: the answer is read in memory. This is what git's own lazy
 * fetch of a partial clone asks the server for, so any server that serves
 * a partial clone serves this.
 */
async function fetchObjects(remote, access, wants, format, git) {
    const unavailable = (0,clone_command/* inProcessFetchUnavailable */.dy)(remote);
    if (unavailable)
        throw new Error(unavailable);
    const request = Buffer.concat([
        pktLine('command=fetch\n'),
        pktLine('agent=git/gitops-actions\n'),
        ...(format === 'sha256' ? [pktLine('object-format=sha256\n')] : []),
        DELIMITER,
        pktLine('no-progress\n'),
        pktLine('ofs-delta\n'),
        ...wants.map((oid) => pktLine(`want ${oid}\n`)),
        pktLine('done\n'),
        FLUSH,
    ]);
    const answer = remote.transport === 'file'
        ? (await git(['upload-pack', '--stateless-rpc', '--', (0,external_node_url_.fileURLToPath)(remote.url)], { input: request, env: { GIT_PROTOCOL: 'version=2' }, maxStdoutBytes: MAX_PACK_BYTES })).stdoutBytes
        : await overHttp(remote, access, request);
    return readPack(packOf(answer), format);
}
async function overHttp(remote, access, request) {
    const answer = await oneRequest(new URL(`${remote.url.replace(/\/+$/, '')}/git-upload-pack`), {
        method: 'POST',
        headers: {
            ...access.httpHeaders,
            'Content-Type': 'application/x-git-upload-pack-request',
            Accept: 'application/x-git-upload-pack-result',
            'Git-Protocol': 'version=2',
            'User-Agent': 'git/gitops-actions',
        },
        body: request,
        timeoutMs: TIMEOUT_MS,
        maxBytes: MAX_PACK_BYTES,
        tooLarge: 'fail',
    });
    if (answer.status !== 200)
        throw new Error(`the server answered HTTP ${answer.status}`);
    if (answer.headers['content-type'] !== 'application/x-git-upload-pack-result') {
        throw new Error(`the server answered ${String(answer.headers['content-type'] ?? 'no content type')}, not a git result`);
    }
    return answer.bytes;
}
/**
 * The pack of a v2 fetch answer: the `packfile` section's band 1, in order.
 * Band 2 is progress (not asked for); band 3 and ERR lines are the server's
 * error, returned as one.
 */
function packOf(answer) {
    const parts = [];
    let inPack = false;
    for (const pkt of readPktLines(answer)) {
        if (pkt.kind !== 'data') {
            if (inPack)
                break;
            continue;
        }
        if (!inPack) {
            const line = pkt.payload.toString('utf8').replace(/\n$/, '');
            if (line.startsWith('ERR '))
                throw new Error(`the server said: ${line.slice(4)}`);
            if (line === 'packfile')
                inPack = true;
            continue;
        }
        const band = pkt.payload[0];
        if (band === 1)
            parts.push(pkt.payload.subarray(1));
        else if (band === 3)
            throw new Error(`the server said: ${pkt.payload.subarray(1).toString('utf8').trim()}`);
    }
    if (!inPack)
        throw new Error('the answer has no pack');
    return Buffer.concat(parts);
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/push-objects.ts








const TYPE_NUMBERS = { commit: 1, tree: 2, blob: 3, tag: 4 };
const push_objects_TIMEOUT_MS = 5 * 60_000;
const MAX_ANSWER_BYTES = 4 * 1024 * 1024;
/** The remote did not take our push request at all (nothing was stored): git push can do it. */
class PushNotHandled extends Error {
}
/** A pack of whole objects (no deltas: a push of one directory is a handful of small objects). */
function writePack(objects, format) {
    const header = Buffer.alloc(12);
    header.write('PACK', 0, 'latin1');
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(objects.length, 8);
    const parts = [header];
    for (const object of objects) {
        const head = [];
        let size = object.body.length;
        let byte = (TYPE_NUMBERS[object.type] << 4) | (size & 15);
        size = Math.floor(size / 16);
        while (size > 0) {
            head.push(byte | 0x80);
            byte = size & 0x7f;
            size = Math.floor(size / 128);
        }
        head.push(byte);
        parts.push(Buffer.from(head), (0,external_node_zlib_.deflateSync)(object.body, { level: 1 }));
    }
    const content = Buffer.concat(parts);
    return Buffer.concat([content, (0,external_node_crypto_.createHash)(format).update(content).digest()]);
}
/**
 * One push of our own, without a git process on our side: the ref update and
 * a pack of the objects the remote lacks, sent to its receive-pack as git's
 * smart protocol has it (stateless, as over HTTP: `git receive-pack
 * --stateless-rpc` for file://, a POST for http(s)). The remote applies the
 * update only if the ref still holds `old` (its lock compares it), so losing
 * a race is an answer like git push's, never an overwrite. The answer is
 * read as git push reads it (report-status), into the same outcomes.
 */
async function pushObjects(remote, access, update, objects, format, git) {
    const unavailable = (0,clone_command/* inProcessFetchUnavailable */.dy)(remote);
    if (unavailable)
        throw new Error(unavailable);
    const zero = '0'.repeat(format === 'sha256' ? 64 : 40);
    const capabilities = ['report-status', 'side-band-64k', 'quiet', 'agent=git/gitops-actions', ...(format === 'sha256' ? ['object-format=sha256'] : [])];
    const request = Buffer.concat([pktLine(`${update.old ?? zero} ${update.new} ${update.ref}\0${capabilities.join(' ')}\n`), FLUSH, writePack(objects, format)]);
    let answer;
    if (remote.transport === 'file') {
        try {
            answer = (await git(['receive-pack', '--stateless-rpc', '--', (0,external_node_url_.fileURLToPath)(remote.url)], { input: request, maxStdoutBytes: MAX_ANSWER_BYTES })).stdoutBytes;
        }
        catch (e) {
            if (!(e instanceof errors/* ToolError */.v4))
                throw e;
            return { kind: 'failed', failure: classifyGitFailure(e.stderrTail) === 'other' ? 'transient' : classifyGitFailure(e.stderrTail), text: `${e.reason}\n${e.stderrTail}`.trim() };
        }
    }
    else {
        let response;
        try {
            response = await oneRequest(new URL(`${remote.url.replace(/\/+$/, '')}/git-receive-pack`), {
                method: 'POST',
                headers: {
                    ...access.httpHeaders,
                    'Content-Type': 'application/x-git-receive-pack-request',
                    Accept: 'application/x-git-receive-pack-result',
                    'User-Agent': 'git/gitops-actions',
                },
                body: request,
                timeoutMs: push_objects_TIMEOUT_MS,
                maxBytes: MAX_ANSWER_BYTES,
                tooLarge: 'fail',
            });
        }
        catch (e) {
            const code = e.code ?? '';
            const unreachable = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'].includes(code);
            return { kind: 'failed', failure: unreachable ? 'unreachable' : 'transient', text: `${remote.url}: ${e.message}` };
        }
        if ((response.status >= 300 && response.status < 400) || [400, 405, 406, 411, 413, 415, 501].includes(response.status)) {
            // Not handled at all (a redirect: git follows one for its first request only, then posts there; a server that
            // wants git's exact exchange): nothing was stored, so git push can do it instead.
            throw new PushNotHandled(`the server answered HTTP ${response.status} to our push`);
        }
        if (response.status !== 200) {
            const failure = response.status === 401 ? 'auth' : response.status === 403 ? 'permission' : response.status === 404 ? 'not-found' : response.status >= 500 ? 'transient' : 'other';
            // What the server says about it, as git shows it ("remote: Permission to … denied").
            const said = response.body
                .split(/\r?\n/)
                .map((line) => line.trim())
                .filter((line) => line !== '' && !line.startsWith('<'))
                .slice(0, 3)
                .map((line) => `remote: ${line.slice(0, 300)}`);
            return { kind: 'failed', failure, text: [`the server answered HTTP ${response.status} to the push`, ...said].join('\n') };
        }
        answer = response.bytes;
    }
    return readReport(answer, update.ref);
}
/**
 * The answer of receive-pack with side-band-64k: band 1 carries the
 * report-status pkt-lines (`unpack ok`, `ok <ref>` or `ng <ref> <reason>`),
 * band 2 the remote's messages (hooks, rules), band 3 a fatal error.
 */
function readReport(answer, ref) {
    const report = [];
    const remoteLines = [];
    let fatal = '';
    try {
        for (const pkt of readPktLines(answer)) {
            if (pkt.kind !== 'data')
                continue;
            const band = pkt.payload[0];
            const text = pkt.payload.subarray(1);
            if (band === 1)
                report.push(text);
            else if (band === 2)
                remoteLines.push(...text.toString('utf8').split(/\r?\n|\r/).map((l) => l.trimEnd()).filter((l) => l.trim() !== ''));
            else if (band === 3)
                fatal += text.toString('utf8');
        }
    }
    catch (e) {
        return { kind: 'failed', failure: 'transient', text: `the answer to the push was cut short: ${e.message}` };
    }
    if (fatal)
        return { kind: 'failed', failure: classifyGitFailure(fatal) === 'other' ? 'transient' : classifyGitFailure(fatal), text: fatal.trim() };
    const lines = [];
    try {
        for (const pkt of readPktLines(Buffer.concat(report)))
            if (pkt.kind === 'data')
                lines.push(pkt.payload.toString('utf8').replace(/\n$/, ''));
    }
    catch (e) {
        return { kind: 'failed', failure: 'transient', text: `the push's report was cut short: ${e.message}` };
    }
    const unpack = lines.find((l) => l.startsWith('unpack '));
    const status = lines.find((l) => l.startsWith(`ok ${ref}`) || l.startsWith(`ng ${ref} `));
    if (!unpack || !status)
        return { kind: 'failed', failure: 'transient', text: `no report for ${ref} in the answer to the push${remoteLines.length ? `\n${remoteLines.join('\n')}` : ''}` };
    if (unpack !== 'unpack ok')
        return { kind: 'failed', failure: 'transient', text: `the remote could not store the objects: ${unpack.slice('unpack '.length)}` };
    if (status.startsWith('ok '))
        return { kind: 'pushed' };
    const reason = status.slice(`ng ${ref} `.length);
    if (LOST_RACE.test(reason) || remoteLines.some((l) => /cannot lock ref|is at [0-9a-f]+ but expected/i.test(l)))
        return { kind: 'lost-race', reason };
    return { kind: 'refused', reason: `[remote rejected] (${reason})`, remoteLines };
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/local-objects.ts




/**
 * Objects of a clone's own store, read here instead of by a git process:
 * loose objects, and packs through their version-2 index. A handful of
 * trees are read this way on every attempt (the branch head's root and the
 * directories on the way to the target), which would otherwise cost a
 * process start each time. Undefined for an object not found, so the caller
 * can ask git; a store in a shape not read here (another index version)
 * counts as not found.
 */
class LocalObjects {
    gitDir;
    format;
    packs;
    hashLength;
    constructor(gitDir, format) {
        this.gitDir = gitDir;
        this.format = format;
        this.hashLength = format === 'sha256' ? 32 : 20;
    }
    read(oid) {
        return this.loose(oid) ?? this.packed(oid, 0);
    }
    loose(oid) {
        let raw;
        try {
            raw = (0,external_node_zlib_.inflateSync)((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(this.gitDir, 'objects', oid.slice(0, 2), oid.slice(2))));
        }
        catch {
            return undefined;
        }
        const nul = raw.indexOf(0);
        const [type, size] = raw.toString('latin1', 0, nul).split(' ');
        if (type !== 'commit' && type !== 'tree' && type !== 'blob' && type !== 'tag')
            return undefined;
        const body = raw.subarray(nul + 1);
        return body.length === Number(size) ? { type, body } : undefined;
    }
    packed(oid, depth) {
        if (depth > 10_000)
            return undefined;
        for (const pack of this.loadPacks()) {
            const offset = this.offsetIn(pack, oid);
            if (offset !== undefined)
                return this.resolve(pack, entryAt(pack.pack, offset, this.hashLength).entry, depth);
        }
        return undefined;
    }
    resolve(pack, entry, depth) {
        if (entry.type === 'ofs-delta') {
            const base = this.resolve(pack, entryAt(pack.pack, entry.base, this.hashLength).entry, depth + 1);
            return base && { type: base.type, body: applyDelta(base.body, entry.data) };
        }
        if (entry.type === 'ref-delta') {
            const base = this.read(entry.base) ?? this.packed(entry.base, depth + 1);
            return base && { type: base.type, body: applyDelta(base.body, entry.data) };
        }
        return { type: entry.type, body: entry.data };
    }
    loadPacks() {
        if (this.packs)
            return this.packs;
        const dir = (0,external_node_path_.join)(this.gitDir, 'objects', 'pack');
        let names;
        try {
            names = (0,external_node_fs_.readdirSync)(dir).filter((name) => name.endsWith('.idx'));
        }
        catch {
            names = [];
        }
        this.packs = [];
        for (const name of names) {
            try {
                const index = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, name));
                if (index.readUInt32BE(0) !== 0xff744f63 || index.readUInt32BE(4) !== 2)
                    continue;
                this.packs.push({ index, pack: (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, `${name.slice(0, -'.idx'.length)}.pack`)), count: index.readUInt32BE(8 + 255 * 4) });
            }
            catch {
                // a pack being written or removed: git will answer for its objects
            }
        }
        return this.packs;
    }
    /** Binary search of the index's sorted ids, within the range its fan-out table gives for the first byte. */
    offsetIn(pack, oid) {
        const wanted = Buffer.from(oid, 'hex');
        if (wanted.length !== this.hashLength)
            return undefined;
        const fanout = 8;
        const first = wanted[0];
        let low = first === 0 ? 0 : pack.index.readUInt32BE(fanout + (first - 1) * 4);
        let high = pack.index.readUInt32BE(fanout + first * 4);
        const ids = fanout + 256 * 4;
        while (low < high) {
            const middle = (low + high) >>> 1;
            const at = ids + middle * this.hashLength;
            const order = pack.index.compare(wanted, 0, this.hashLength, at, at + this.hashLength);
            if (order === 0) {
                const offsets = ids + pack.count * (this.hashLength + 4);
                const offset = pack.index.readUInt32BE(offsets + middle * 4);
                if (!(offset & 0x80000000))
                    return offset;
                const large = offsets + pack.count * 4 + (offset & 0x7fffffff) * 8;
                return Number(pack.index.readBigUInt64BE(large));
            }
            if (order < 0)
                low = middle + 1;
            else
                high = middle;
        }
        return undefined;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/loose-objects.ts




/**
 * Git objects written straight into a clone's object store, the way git
 * writes a loose object: `<type> <size>\0<body>`, zlib-deflated, at
 * `objects/<first two hex digits>/<the rest>`. Landing a directory writes a
 * handful of blobs, trees and one commit; doing it here spares a git process
 * for each kind (three process starts on every attempt's critical path).
 * The ids come from the same bytes that are written, so they cannot disagree;
 * tests read every kind back with git. The fastest zlib level: git reads any,
 * and these objects live for one step.
 */
function writeLooseObject(gitDir, type, body, format) {
    const oid = objectId(type, body, format);
    const file = (0,external_node_path_.join)(gitDir, 'objects', oid.slice(0, 2), oid.slice(2));
    if ((0,external_node_fs_.existsSync)(file))
        return oid;
    (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(gitDir, 'objects', oid.slice(0, 2)), { recursive: true });
    // Written aside and renamed: a reader never sees half an object.
    const partial = `${file}.${process.pid}.partial`;
    (0,external_node_fs_.writeFileSync)(partial, (0,external_node_zlib_.deflateSync)(Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body]), { level: 1 }), { mode: 0o444 });
    (0,external_node_fs_.renameSync)(partial, file);
    return oid;
}
/**
 * A commit object's body as `git commit-tree` writes it: tree, parents,
 * author and committer (one identity, this moment, UTC), a blank line, the
 * message verbatim (commit-tree does no clean-up either).
 */
function commitBody(tree, parents, identity, message, when = new Date()) {
    const stamp = `${identity.name} <${identity.email}> ${Math.floor(when.getTime() / 1000)} +0000`;
    const head = [`tree ${tree}`, ...parents.map((p) => `parent ${p}`), `author ${stamp}`, `committer ${stamp}`];
    return Buffer.from(`${head.join('\n')}\n\n${message}`, 'utf8');
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/gitops-clone.ts













/** Cone-mode patterns for one directory: every file on the way to it, and all of it. */
function conePatterns(targetPath) {
    const lines = ['/*', '!/*/'];
    const segments = targetPath.split('/');
    for (let i = 1; i < segments.length; i++) {
        const prefix = segments.slice(0, i).join('/');
        lines.push(`/${prefix}/`, `!/${prefix}/*/`);
    }
    lines.push(`/${targetPath}/`);
    return `${lines.join('\n')}\n`;
}
/**
 * `git diff-tree -z --patch-with-raw`: NUL-separated raw records
 * (`:<modes> <ids> <status>\0<path>\0`), one more NUL, then the patch text.
 */
function parseRawAndPatch(out) {
    const diff = { added: [], changed: [], removed: [] };
    let at = 0;
    while (out[at] === ':') {
        const statusEnd = out.indexOf('\0', at);
        const pathEnd = out.indexOf('\0', statusEnd + 1);
        if (statusEnd < 0 || pathEnd < 0)
            throw new Error(`unexpected git diff-tree output: ${JSON.stringify(out.slice(at, at + 200))}`);
        const status = out.slice(at, statusEnd).split(' ').at(-1) ?? '';
        const path = out.slice(statusEnd + 1, pathEnd);
        if (status.startsWith('A'))
            diff.added.push(path);
        else if (status.startsWith('D'))
            diff.removed.push(path);
        else
            diff.changed.push(path);
        at = pathEnd + 1;
    }
    if (out[at] === '\0')
        at++;
    return { diff, patch: out.slice(at) };
}
/**
 * The cheapest clone that can land one directory: no history (depth 1), no
 * file contents (blob:none) except the target directory's, fetched by a
 * sparse checkout in cone mode when its version must be read. Its cost does
 * not grow with the repository's history or its number of apps. Commits are
 * built from git objects (trees computed here, written by git), so no
 * worktree filter or ignore rule can change a byte of the desired state, and
 * no other path's entry is ever touched.
 */
class GitopsClone {
    dir;
    targetPath;
    remote;
    access;
    git;
    env;
    secrets;
    format = 'sha1';
    segments;
    checkouts = Promise.resolve();
    lastCheckout;
    reads = new Map();
    /** Every object this process made (the source's blobs, the trees, the commits): what a push of ours may have to send. */
    made = new Map();
    constructor(dir, targetPath, remote, access, onCommand) {
        this.dir = dir;
        this.targetPath = targetPath;
        this.remote = remote;
        this.access = access;
        this.git = new git/* Git */.TU({ cwd: dir, ...(onCommand ? { onCommand } : {}) });
        this.env = (0,clone_command/* cloneEnv */.xK)(access);
        this.secrets = access.secrets;
        this.segments = targetPath.split('/');
    }
    get gitDir() {
        return (0,external_node_path_.join)(this.dir, '.git');
    }
    /**
     * Clones `branch` (one process: init, remote and the first fetch); when the
     * remote has no such branch, an empty repository with the remote set up.
     * `filter`: what it leaves out (cloneFilter); a server that refuses a tree
     * filter gets blob:none. `started`: that clone, already running into `dir`
     * (a head start).
     */
    static async clone(dir, remote, targetPath, branch, access, onCommand, how = {}) {
        const outside = new GitopsClone((0,external_node_path_.dirname)(dir), targetPath, remote, access, onCommand);
        const run = (filter) => {
            (0,external_node_fs_.mkdirSync)((0,external_node_path_.dirname)(dir), { recursive: true });
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
            return outside.run((0,clone_command/* cloneArgs */.b8)(remote.url, dir, branch, filter));
        };
        const filter = how.filter ?? 'blob:none';
        let found = true;
        try {
            await (how.started ?? run(filter)).catch((e) => {
                if (filter === 'blob:none' || !(e instanceof errors/* ToolError */.v4 && /filter/i.test(e.stderrTail)))
                    throw e;
                return run('blob:none');
            });
        }
        catch (e) {
            if (!(e instanceof errors/* ToolError */.v4 && /Remote branch .* not found|couldn't find remote ref/i.test(e.stderrTail)))
                throw e;
            found = false;
        }
        const clone = new GitopsClone(dir, targetPath, remote, access, onCommand);
        if (!found) {
            (0,external_node_fs_.rmSync)(dir, { recursive: true, force: true });
            (0,external_node_fs_.mkdirSync)(dir, { recursive: true });
            await clone.run(['init', '--quiet']);
            await clone.run(['remote', 'add', 'origin', remote.url]);
        }
        const gitDir = (0,external_node_path_.join)(dir, '.git');
        (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(gitDir, 'info'), { recursive: true });
        (0,external_node_fs_.writeFileSync)((0,external_node_path_.join)(gitDir, 'info', 'sparse-checkout'), conePatterns(targetPath));
        clone.format = objectFormatOf(gitDir);
        return { clone, found };
    }
    run(args, extra = {}) {
        return this.git.run(args, {
            env: { ...this.env, ...extra.env },
            secrets: this.secrets,
            ...(extra.input !== undefined ? { input: extra.input } : {}),
            ...(extra.okExitCodes ? { okExitCodes: extra.okExitCodes } : {}),
            ...(extra.maxStdoutBytes ? { maxStdoutBytes: extra.maxStdoutBytes } : {}),
            timeoutMs: 5 * 60_000,
        });
    }
    async text(args, extra = {}) {
        return (await this.run(args, extra)).stdout.replace(/\n$/, '');
    }
    /** Branch heads (and the default branch) as the remote has them now, without fetching objects. */
    async lsRemote(branches) {
        const out = await this.text(['ls-remote', '--symref', 'origin', 'HEAD', ...branches.map((b) => `refs/heads/${b}`)]);
        const heads = new Map();
        let defaultBranch;
        for (const line of out.split('\n')) {
            const symref = /^ref: refs\/heads\/(\S+)\tHEAD$/.exec(line);
            if (symref)
                defaultBranch = symref[1];
            const ref = /^([0-9a-f]{40,64})\trefs\/heads\/(.+)$/.exec(line);
            if (ref)
                heads.set(ref[2], ref[1]);
        }
        return { heads, defaultBranch };
    }
    /**
     * Fetches the branch's current head with its trees only; false when the
     * remote has no such branch. `depth` > 1 brings the history a pull request
     * branch needs to see whether the base is already merged into it.
     */
    async fetchBranch(branch, depth = 1) {
        try {
            await this.run([
                'fetch',
                '--quiet',
                '--no-tags',
                '--no-write-fetch-head',
                '--no-auto-maintenance',
                '--no-show-forced-updates',
                '--filter=blob:none',
                `--depth=${depth}`,
                'origin',
                `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
            ]);
            return true;
        }
        catch (e) {
            if (e instanceof errors/* ToolError */.v4 && /couldn't find remote ref/i.test(e.stderrTail))
                return false;
            throw e;
        }
    }
    /** More history of a fetched branch, for an ancestry question the shallow clone cannot answer yet. */
    async deepen(branch, commits) {
        await this.run([
            'fetch',
            '--quiet',
            '--no-tags',
            '--no-write-fetch-head',
            '--no-auto-maintenance',
            '--filter=blob:none',
            `--deepen=${commits}`,
            'origin',
            `+refs/heads/${branch}:refs/remotes/origin/${branch}`,
        ]);
    }
    /**
     * The fetched head of `branch`: its commit, and the root and every
     * directory on the way to the target, read from the trees the fetch brought
     * (all processes at once; no file content is needed).
     */
    async head(branch, commit) {
        const ref = `refs/remotes/origin/${branch}`;
        const at = commit ?? (await this.resolveRef(ref));
        const listings = this.listingsInStore(at) ?? (await this.listingsByGit(ref));
        let kind = 'directory';
        let target;
        for (let level = 0; level < this.segments.length; level++) {
            const last = level === this.segments.length - 1;
            const entry = listings[level]?.find((e) => e.name === this.segments[level]);
            if (!entry) {
                kind = 'absent';
                break;
            }
            if (entry.mode === '120000') {
                kind = last ? 'symlink' : 'below-symlink';
                break;
            }
            if (entry.type !== 'tree') {
                kind = last ? 'file' : 'below-file';
                break;
            }
            if (last)
                target = entry.oid;
        }
        return { ref, commit: at, kind, target: kind === 'directory' ? target : undefined, listings };
    }
    /**
     * The listings `head` needs, read from the clone's object store in this
     * process (the fetched trees are all there); undefined when an object is
     * not found that way, and git is asked.
     */
    listingsInStore(commit) {
        try {
            const store = new LocalObjects(this.gitDir, this.format);
            const object = store.read(commit);
            const root = object?.type === 'commit' ? treeOfCommit(object.body) : undefined;
            if (!root)
                return undefined;
            const listings = [];
            let tree = root;
            for (const segment of this.segments) {
                if (tree === undefined) {
                    listings.push(undefined);
                    continue;
                }
                const found = store.read(tree);
                if (found?.type !== 'tree')
                    return undefined;
                const entries = parseTreeBody(found.body, this.format);
                listings.push(entries);
                const entry = entries.find((e) => e.name === segment);
                tree = entry?.type === 'tree' ? entry.oid : undefined;
            }
            return listings;
        }
        catch {
            return undefined;
        }
    }
    async listingsByGit(ref) {
        const prefixes = this.segments.map((_, i) => this.segments.slice(0, i).join('/'));
        return Promise.all(prefixes.map(async (prefix) => {
            const r = await this.run(['ls-tree', '-z', '--full-tree', '--end-of-options', `${ref}:${prefix}`], { okExitCodes: [128] });
            if (r.exitCode === 0)
                return parseLsTree(r.stdout);
            if (/Not a valid object name|not a tree object/i.test(r.stderr))
                return undefined;
            throw new errors/* ToolError */.v4(`git ls-tree ${ref}:${prefix}`, r.exitCode, r.stderr.trim(), 'failed');
        }));
    }
    /** The commit a fetched branch is at. */
    async fetchedCommit(branch) {
        return this.resolveRef(`refs/remotes/origin/${branch}`);
    }
    /**
     * The commit a ref of ours names. Read from the ref store's files (a loose
     * ref, else packed-refs, as git itself looks them up) to spare a process in
     * every attempt; git answers when neither has it.
     */
    async resolveRef(ref) {
        const gitDir = (0,external_node_path_.join)(this.dir, '.git');
        const oid = /^[0-9a-f]{40}([0-9a-f]{24})?$/;
        try {
            const loose = (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(gitDir, ref), 'utf8').trim();
            if (oid.test(loose))
                return loose;
        }
        catch {
            // not loose: packed, or only git knows
        }
        try {
            for (const line of (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(gitDir, 'packed-refs'), 'utf8').split('\n')) {
                const space = line.indexOf(' ');
                if (line.slice(space + 1) === ref && oid.test(line.slice(0, space)))
                    return line.slice(0, space);
            }
        }
        catch {
            // no packed-refs
        }
        return this.text(['rev-parse', '--verify', `${ref}^{commit}`]);
    }
    /**
     * The commits among the branch's last `depth` that changed the target
     * directory, newest first: id, commit date, and the `Version` trailer our
     * commits carry ('' for commits made otherwise). Only commits and trees are
     * fetched for it, never another directory's contents.
     */
    async pathHistory(branch, depth) {
        await this.deepen(branch, depth - 1);
        const out = await this.text([
            'log',
            '-z',
            `--max-count=${depth}`,
            '--format=%H%x1f%cI%x1f%(trailers:key=Version,valueonly,separator=%x2C)%x1f%(trailers:key=Source-Commit,valueonly,separator=%x2C)%x1f%an%x1f%s',
            `refs/remotes/origin/${branch}`,
            '--',
            this.targetPath,
        ]);
        return out
            .split('\0')
            .filter((record) => record.trim() !== '')
            .map((record) => {
            const [commit = '', date = '', version = '', sourceCommit = '', author = '', subject = ''] = record.replace(/^\n/, '').split('\x1f');
            const first = (list) => list.trim().split(',')[0].trim();
            return { commit, date, version: first(version), sourceCommit: first(sourceCommit), author, subject };
        });
    }
    /** A commit's root tree id (pull-request mode compares a proposal with the tree it would propose). */
    async treeOf(commit) {
        return this.text(['rev-parse', '--verify', `${commit}^{tree}`]);
    }
    /**
     * Puts the commit in the sparse worktree: only the target directory and the
     * files along the way get their contents fetched. One at a time (the index
     * has one lock), in the order asked; asking again for the commit last asked
     * for waits for that checkout instead of starting another.
     */
    checkout(commit) {
        if (this.lastCheckout === commit)
            return this.checkouts;
        const start = () => this.run(['checkout', '--quiet', '--force', '--detach', commit]).then(() => { });
        // Started at once when none runs: it is the longest step of an attempt, every other waits on it.
        const next = this.lastCheckout === undefined ? start() : this.checkouts.catch(() => { }).then(start);
        next.catch(() => { }); // reported to whoever awaits it
        this.checkouts = next;
        this.lastCheckout = commit;
        return next;
    }
    /**
     * The target directory's manifests in `head` (a directory there), for its
     * version. Read with one protocol v2 fetch of the directory's tree (the
     * server sends it with its blobs; nothing else of the repository) where
     * the remote allows one, else by a sparse checkout. Either way the blobs
     * end up in the clone, so a diff against this head needs no other fetch.
     * Asked again for the same tree: the same answer.
     */
    targetManifests(head) {
        const tree = head.target;
        if (!tree)
            return Promise.resolve({ files: [], via: 'protocol' });
        let read = this.reads.get(tree);
        if (!read) {
            const byCheckout = async () => {
                await this.checkout(head.commit);
                return manifestFiles((0,external_node_path_.join)(this.dir, this.targetPath));
            };
            read = (0,clone_command/* inProcessFetchUnavailable */.dy)(this.remote)
                ? byCheckout().then((files) => ({ files, via: 'checkout' }))
                : this.readInProcess(tree).then((files) => ({ files, via: 'protocol' }), async (e) => ({
                    files: await byCheckout(),
                    via: 'checkout',
                    fallbackReason: e instanceof Error ? e.message : String(e),
                }));
            read.catch(() => { }); // reported to whoever awaits it
            this.reads.set(tree, read);
        }
        return read;
    }
    async readInProcess(tree) {
        const objects = await fetchObjects(this.remote, this.access, [tree], this.format, (args, extra) => this.run(args, extra));
        const files = [];
        const walk = (oid, prefix) => {
            const object = objects.get(oid);
            if (object?.type !== 'tree')
                throw new Error(`the server did not send tree ${oid}`);
            // Kept: a clone made without this directory's trees (tree filter) needs them to diff and push.
            writeLooseObject(this.gitDir, 'tree', object.body, this.format);
            for (const entry of parseTreeBody(object.body, this.format)) {
                const path = prefix ? `${prefix}/${entry.name}` : entry.name;
                if (entry.type === 'tree')
                    walk(entry.oid, path);
                else if (entry.mode === '100644' || entry.mode === '100755') {
                    // Symbolic links and submodules are not files of the directory (a checkout's reader skips them too).
                    const blob = objects.get(entry.oid);
                    if (blob?.type !== 'blob')
                        throw new Error(`the server did not send blob ${entry.oid} (${path})`);
                    writeLooseObject(this.gitDir, 'blob', blob.body, this.format);
                    const file = manifestFile(path, blob.body.toString('utf8'));
                    if (file)
                        files.push(file);
                }
            }
        };
        walk(tree, '');
        return files;
    }
    /** Waits for checkouts still running (a clone must not be removed under one). */
    async settle() {
        await Promise.allSettled(this.reads.values());
        await this.checkouts.catch(() => { });
    }
    /** The source files as git objects, computed only: nothing is written until a tree is built (buildTree). */
    planSource(files) {
        const unwritten = new Map();
        const blobs = files.map((f) => {
            const content = (0,external_node_fs_.readFileSync)(f.absolute);
            const oid = objectId('blob', content, this.format);
            unwritten.set(oid, content);
            return { path: f.path, mode: f.executable ? '100755' : '100644', oid };
        });
        const trees = planSourceTrees(blobs, this.format);
        return { blobs, trees, tree: trees.at(-1).oid, unwritten };
    }
    /**
     * The root tree of `head` with the target directory replaced by the
     * source: the source's trees and the rebuilt ancestors. Every other entry,
     * at every level, is copied as it was (the other apps' blobs were never
     * fetched and need not be: a tree only names them).
     */
    buildTree(head, source) {
        const ancestors = planAncestors(this.segments, head?.listings ?? [], source.tree, this.format);
        for (const body of source.unwritten.values())
            this.write('blob', body);
        source.unwritten.clear();
        for (const tree of [...source.trees, ...ancestors])
            this.write('tree', tree.body);
        return ancestors.at(-1).oid;
    }
    /** Which files of the target directory differ between two commits, and the unified diff, from one `git diff-tree`. */
    async diff(from, to) {
        const base = from ?? this.emptyTree();
        const out = (await this.run(['diff-tree', '-r', '-z', '--no-renames', '--patch-with-raw', '--no-color', '--no-ext-diff', '--no-textconv', base, to, '--', this.targetPath])).stdout;
        return parseRawAndPatch(out);
    }
    emptyTree() {
        return (0,external_node_crypto_.createHash)(this.format === 'sha256' ? 'sha256' : 'sha1').update('tree 0\0').digest('hex');
    }
    commit(tree, parents, message, identity) {
        return this.write('commit', commitBody(tree, parents, identity, message));
    }
    write(type, body) {
        const oid = writeLooseObject(this.gitDir, type, body, this.format);
        this.made.set(oid, { type, body });
        return oid;
    }
    /**
     * Can `commit` be pushed by us (pushObjects)? Only where our own fetch
     * works, and only a commit all of whose new objects this process made: the
     * objects it names that we did not make came from the remote.
     */
    canPushInProcess(commit) {
        return !(0,clone_command/* inProcessFetchUnavailable */.dy)(this.remote) && this.made.get(commit)?.type === 'commit';
    }
    /**
     * One push of our own (push-objects.ts): the commit and the trees and
     * blobs of ours it reaches, to `branch`, which must still be at `old`.
     */
    async pushInProcess(commit, branch, old) {
        const objects = new Map();
        const add = (oid) => {
            const object = this.made.get(oid);
            if (!object || objects.has(oid))
                return;
            objects.set(oid, object);
            if (object.type === 'commit')
                add(treeOfCommit(object.body));
            if (object.type === 'tree')
                for (const entry of parseTreeBody(object.body, this.format))
                    add(entry.oid);
        };
        add(commit);
        try {
            const outcome = await pushObjects(this.remote, this.access, { ref: `refs/heads/${branch}`, old, new: commit }, [...objects.values()], this.format, (args, extra) => this.run(args, extra));
            if (outcome.kind !== 'refused')
                return outcome;
            // Servers word a branch that moved under the update in their own ways; whether it moved is a fact to ask for.
            const now = await this.lsRemote([branch]).then(({ heads }) => heads.get(branch), () => old);
            return now !== old ? { kind: 'lost-race', reason: `${branch} moved (${outcome.reason})` } : outcome;
        }
        catch (e) {
            // Every object is in the clone too (written loose), so git can push the same commit.
            if (e instanceof PushNotHandled)
                return this.push(commit, branch);
            throw e;
        }
    }
    async isAncestor(ancestor, descendant) {
        const r = await this.run(['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [1] });
        return r.exitCode === 0;
    }
    /** One push of one commit to one branch, never forced; the outcome says whether to try again. */
    async push(commit, branch) {
        const ref = `refs/heads/${branch}`;
        try {
            const r = await this.run(['push', '--porcelain', '--no-verify', 'origin', `${commit}:${ref}`], { okExitCodes: [1] });
            return pushOutcome(ref, r.exitCode, r.stdout, r.stderr);
        }
        catch (e) {
            if (!(e instanceof errors/* ToolError */.v4) || e.exitCode === null)
                throw e;
            return pushOutcome(ref, e.exitCode, '', e.stderrTail);
        }
    }
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/push-backoff.ts
const DEFAULT_PUSH_BACKOFF = { baseMs: 1_000, capMs: 30_000 };
/** The wait after the `round`-th attempt failed (1-based), given a uniform random number in [0, 1). */
function backoffDelayMs(round, random, backoff = DEFAULT_PUSH_BACKOFF) {
    const window = Math.min(backoff.capMs, backoff.baseMs * 2 ** Math.max(0, round - 1));
    // Never zero: an immediate retry would meet the writer that just won still pushing.
    return Math.round(window * (0.1 + 0.9 * Math.min(Math.max(random, 0), 1)));
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/pull-request.ts

/**
 * The one branch that proposes changes to `path`: deterministic, so every run
 * for the same app and environment updates the same pull request instead of
 * opening another.
 */
function pullRequestBranch(path) {
    return `gitops/${path}`;
}
/** Longest diff quoted in a pull request body; GitHub takes 65,536 characters in all. */
const MAX_BODY_PATCH = 40_000;
function pullRequestBody(facts) {
    const lines = [];
    const versionText = facts.version
        ? facts.previousVersion && facts.previousVersion !== facts.version
            ? `**${facts.version}** (replaces ${facts.previousVersion})`
            : `**${facts.version}**`
        : 'no version given';
    lines.push(`Desired state of ${inlineCode(facts.path)} for ${inlineCode(facts.base)}: ${versionText}.`, '');
    const source = facts.sourceRepository
        ? `${facts.sourceRepository}${facts.sourceCommit ? ` at ${facts.sourceCommit.slice(0, 12)}` : ''}`
        : facts.sourceCommit;
    if (source)
        lines.push(`- source: ${source}`);
    if (facts.workflowRun)
        lines.push(`- workflow run: ${facts.workflowRun}`);
    const { added, changed, removed } = facts.diff;
    lines.push(`- files: ${added.length} added, ${changed.length} changed, ${removed.length} removed`, '');
    if (facts.patch) {
        const patch = facts.patch.length > MAX_BODY_PATCH ? `${facts.patch.slice(0, MAX_BODY_PATCH)}\n… (diff cut here)\n` : facts.patch;
        const fence = fenceFor(patch);
        lines.push('<details><summary>Diff</summary>', '', `${fence}diff`, patch.trimEnd(), fence, '', '</details>', '');
    }
    lines.push(`Opened by gitops-actions commit-to-gitops. The branch \`${pullRequestBranch(facts.path)}\` belongs to it: each run proposes the base branch plus this directory.`);
    return lines.join('\n');
}

// EXTERNAL MODULE: ./packages/core/src/gitops/remote-access.ts
var remote_access = __webpack_require__(5857);
// EXTERNAL MODULE: ./packages/core/src/gitops/repository-url.ts
var repository_url = __webpack_require__(5500);
// EXTERNAL MODULE: ./packages/core/src/gitops/target-path.ts
var target_path = __webpack_require__(2581);
;// CONCATENATED MODULE: ./packages/core/src/gitops/extra-files.ts









/** Checks the paths before any clone: inside the repository, plain names, and clear of the target directory. */
function checkExtraFiles(files, targetPath) {
    const seen = new Set();
    return files.map((file) => {
        let path;
        try {
            path = (0,target_path/* validateTargetPath */.PP)(file.path);
        }
        catch (e) {
            // The checks are the target path's; their messages name that input, which is not the one at fault here.
            if (e instanceof errors/* InputError */.dz)
                throw new errors/* InputError */.dz(`${file.description}: ${e.message.replace(/^input 'path':? ?/, `${file.path}: `)}`);
            throw e;
        }
        if (path === targetPath || path.startsWith(`${targetPath}/`) || targetPath.startsWith(`${path}/`)) {
            throw new errors/* InputError */.dz(`${file.description} (${path}) would overlap the directory ${targetPath}, which holds exactly the rendered manifests`);
        }
        if (seen.has(path))
            throw new errors/* InputError */.dz(`${file.description}: ${path} is given twice`);
        seen.add(path);
        return { ...file, path };
    });
}
/**
 * Places extra files into trees of the step's clone. Only local objects are
 * read: the partial clone has every tree, the new blobs are written here, and
 * an existing file's blob is never needed (it is left as it is), so nothing
 * here reaches the remote or needs its credentials.
 */
class ExtraFiles {
    files;
    log;
    git;
    env;
    format;
    gitDir;
    constructor(cloneDir, files, log) {
        this.files = files;
        this.log = log;
        const gitDir = (0,external_node_path_.join)(cloneDir, '.git');
        this.git = new git/* Git */.TU({ cwd: cloneDir });
        this.gitDir = gitDir;
        this.env = { ...clone_command/* ISOLATED_GIT_ENV */.bh, GIT_DIR: gitDir };
        this.format = objectFormatOf(gitDir);
    }
    async run(args, extra = {}) {
        return this.git.run(args, { env: this.env, timeoutMs: 60_000, ...extra });
    }
    /** The files `commit` has nothing at (the ones a commit on top of it would create); anything at the path counts, as in place(). */
    async missingIn(commit) {
        if (this.files.length === 0)
            return [];
        // Without -r, ls-tree names the entry at each path itself, whatever its type.
        const listed = await this.run(['ls-tree', '-z', '--full-tree', '--name-only', commit, '--', ...this.files.map((f) => f.path)]);
        const present = new Set(listed.stdout.split('\0'));
        return this.files.filter((f) => !present.has(f.path));
    }
    /** `root` with every file it lacks added; returns the new root tree. */
    async place(root) {
        let tree = root;
        for (const file of this.files)
            tree = await this.placeOne(tree, file);
        return tree;
    }
    async placeOne(root, file) {
        const segments = file.path.split('/');
        const name = segments.pop();
        // listings[i]: the directory holding segments[i] (listings[0] is the root); the last one holds the file.
        const listings = [];
        for (let level = 0; level <= segments.length; level++) {
            const prefix = segments.slice(0, level).join('/');
            if (level > 0) {
                const entry = listings[level - 1]?.find((e) => e.name === segments[level - 1]);
                if (!entry) {
                    listings.push(undefined);
                    continue;
                }
                if (entry.type !== 'tree') {
                    throw new errors/* InputError */.dz(`${file.description} goes to ${file.path}, but ${prefix} is a ${entry.mode === '120000' ? 'symbolic link' : 'file'} in the GitOps repository, not a directory`);
                }
            }
            listings.push(await this.listing(root, prefix));
        }
        const holder = listings[segments.length];
        if (holder?.some((e) => e.name === name)) {
            this.log(`${file.path}: already in the GitOps repository, left as it is (${file.description} is written with an app's first deploy only)`);
            return root;
        }
        const blob = writeLooseObject(this.gitDir, 'blob', Buffer.from(file.content, 'utf8'), this.format);
        const directory = planTree([...(holder ?? []), { mode: '100644', type: 'blob', oid: blob, name }], this.format);
        const ancestors = planAncestors(segments, listings.slice(0, segments.length), directory.oid, this.format);
        const trees = [directory, ...ancestors];
        for (const tree of trees)
            writeLooseObject(this.gitDir, 'tree', tree.body, this.format);
        this.log(`${file.path}: not in the GitOps repository yet, so ${file.description} goes into this commit`);
        return trees.at(-1).oid;
    }
    async listing(root, prefix) {
        const r = await this.run(['ls-tree', '-z', '--full-tree', '--end-of-options', `${root}:${prefix}`], { okExitCodes: [128] });
        if (r.exitCode === 0)
            return parseLsTree(r.stdout);
        throw new errors/* ToolError */.v4(`git ls-tree ${root}:${prefix}`, r.exitCode, r.stderr.trim(), 'failed');
    }
    /** What the commit does to the extra files' paths: added files and their patch. */
    async diff(from, to) {
        const base = from ?? (0,external_node_crypto_.createHash)(this.format).update('tree 0\0').digest('hex');
        const out = await this.run([
            'diff-tree', '-r', '-z', '--no-renames', '--patch-with-raw', '--no-color', '--no-ext-diff', '--no-textconv',
            base, to, '--', ...this.files.map((f) => f.path),
        ]);
        return parseRawAndPatch(out.stdout);
    }
}
/** The target directory's diff followed by the extra files'. */
function joinDiffs(a, b) {
    return {
        diff: { added: [...a.diff.added, ...b.diff.added], changed: [...a.diff.changed, ...b.diff.changed], removed: [...a.diff.removed, ...b.diff.removed] },
        patch: a.patch + b.patch,
    };
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/source-tree.ts



/**
 * The files of the rendered directory, checked before anything else happens.
 * Only regular files and directories: a symbolic link could point anywhere
 * (git would store the link, and Argo CD would read whatever it points to on
 * its side), and a `.git` inside would turn the directory into a submodule.
 * An empty source is refused: committing it would delete the app.
 */
function scanSource(source, shown = source) {
    const top = (0,external_node_fs_.statSync)(source, { throwIfNoEntry: false });
    if (!top)
        throw new errors/* InputError */.dz(`input 'source': ${shown} does not exist (give the rendered directory, e.g. the render step's 'path' output)`);
    if (!top.isDirectory())
        throw new errors/* InputError */.dz(`input 'source': ${shown} is not a directory`);
    const files = [];
    const walk = (dir, prefix) => {
        for (const entry of (0,external_node_fs_.readdirSync)(dir, { withFileTypes: true })) {
            const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
            const absolute = (0,external_node_path_.join)(dir, entry.name);
            if (entry.name.toLowerCase() === '.git') {
                throw new errors/* InputError */.dz(`input 'source': ${shown}/${rel} is a git repository or link; the desired state must be plain files`);
            }
            // eslint-disable-next-line no-control-regex
            if (/[\u0000-\u001f\u007f]/.test(entry.name)) {
                throw new errors/* InputError */.dz(`input 'source': ${shown}/${JSON.stringify(rel).slice(1, -1)} has a control character in its name`);
            }
            if (entry.isSymbolicLink()) {
                throw new errors/* InputError */.dz(`input 'source': ${shown}/${rel} is a symbolic link; refusing, the desired state must be plain files (a link could point outside the source)`);
            }
            if (entry.isDirectory())
                walk(absolute, rel);
            else if (entry.isFile())
                files.push({ path: rel, absolute, executable: ((0,external_node_fs_.lstatSync)(absolute).mode & 0o111) !== 0 });
            else
                throw new errors/* InputError */.dz(`input 'source': ${shown}/${rel} is not a regular file or directory`);
        }
    };
    walk(source, '');
    if (files.length === 0) {
        throw new errors/* InputError */.dz(`input 'source': ${shown} has no files; refusing to commit an empty desired state, which would delete the app from the cluster ` +
            '(did the render step run, and is this its output?)');
    }
    return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

;// CONCATENATED MODULE: ./packages/core/src/gitops/commit-to-gitops.ts

















const PR_BRANCH_DEPTH = 20;
const AMBIGUOUS_PUSH_DEPTH = 50;
/** Thrown inside a round for a failure another round can survive. */
class RetryableFailure extends Error {
}
function gitLines(text) {
    return text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => /^(fatal|error|remote|ERROR|warning):/.test(l) || /denied|not found|Could not|Failed/i.test(l))
        .slice(-6)
        .join('\n');
}
/** What to tell the user about a git failure we do not retry; undefined when git's own words (a tool error) say it best. */
function explainFailure(kind, remote, credentials, text, action) {
    const where = remote.url;
    const detail = gitLines(text);
    const withDetail = (message) => new errors/* InputError */.dz(detail ? `${message}\n${detail}` : message);
    switch (kind) {
        case 'auth':
            if (credentials.kind === 'none')
                return withDetail(`${where} needs credentials to ${action}: give input 'token' (https) or 'ssh-key' (ssh)`);
            if (credentials.kind === 'ssh-key') {
                return withDetail(`${where} refused the ssh key, or its host key is not known (add it to 'ssh-known-hosts'); could not ${action}`);
            }
            return withDetail(`${where} refused the token (authentication failed): is it valid, unexpired, and for this server? Could not ${action}`);
        case 'permission':
            return withDetail(`the credentials may not ${action} ${where}: the token needs write access to the repository's contents ` +
                "('contents: write' for a GitHub App or fine-grained token, 'repo' for a classic token; a deploy key needs write access)");
        case 'not-found':
            return withDetail(`repository ${where} not found, or the credentials cannot see it; could not ${action}`);
        case 'unreachable':
            return withDetail(`cannot reach ${where}: check the host name and the network; could not ${action}`);
        default:
            return undefined;
    }
}
/**
 * Lands one app's desired state in the GitOps repository: the target
 * directory becomes exactly the source, nothing else changes, and concurrent
 * pipelines all land by rebuilding their commit on whatever head won the
 * race. Never a force push; never a lower version over a higher one unless
 * asked.
 */
async function commitToGitops(options, deps) {
    const log = deps.log;
    const warn = deps.warning ?? ((line) => log(`warning: ${line}`));
    const sleep = deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    const random = deps.random ?? Math.random;
    const backoff = deps.backoff ?? DEFAULT_PUSH_BACKOFF;
    // ---- everything the user gave, checked before any clone (a head start is used only if it agrees)
    if (options.token && options.sshKey)
        throw new errors/* InputError */.dz("give input 'token' or input 'ssh-key', not both");
    const remote = (0,repository_url/* resolveRepository */.U)(options.repository, {
        serverUrl: options.serverUrl,
        sshKey: options.sshKey !== '',
        token: options.token !== '',
    });
    (0,git/* assertRefName */.rY)(`refs/heads/${options.branch}`, `input 'branch' ('${options.branch}')`);
    if (options.prBase)
        (0,git/* assertRefName */.rY)(`refs/heads/${options.prBase}`, `input 'pr-base' ('${options.prBase}')`);
    if (!Number.isInteger(options.maxAttempts) || options.maxAttempts < 1)
        throw new errors/* InputError */.dz("input 'max-attempts' must be at least 1");
    const sourceDir = (0,external_node_path_.resolve)(options.workspace, options.source);
    const files = scanSource(sourceDir, options.source);
    const path = (0,target_path/* targetPathFor */.QM)(options.path, sourceDir);
    const { app, environment } = (0,target_path/* appAndEnvironment */.mh)(path);
    const extraFiles = checkExtraFiles(options.extraFiles ?? [], path);
    const pullRequest = options.mode === 'pull-request';
    const baseBranch = pullRequest ? options.prBase || options.branch : options.branch;
    const branch = pullRequest ? pullRequestBranch(path) : options.branch;
    (0,git/* assertRefName */.rY)(`refs/heads/${branch}`, 'the pull request branch');
    if (pullRequest && !remote.github) {
        throw new errors/* InputError */.dz(`pull-request mode needs a repository on ${options.serverUrl || 'the GitHub server'} (owner/name); ${remote.url} is not one`);
    }
    if (pullRequest && !options.dryRun && !deps.pullRequestApi) {
        throw new Error('pull-request mode has no GitHub API client wired in');
    }
    const sourceVersion = readDirectoryVersion(sourceDir);
    if (/[\r\n]/.test(options.version))
        throw new errors/* InputError */.dz("input 'version' must be one line");
    const version = options.version.trim() || sourceVersion.version;
    const notes = [];
    if (!options.version && sourceVersion.version)
        log(`version ${sourceVersion.version}: from the provenance annotations in the source`);
    if (options.version && sourceVersion.version && sourceVersion.version !== options.version.trim()) {
        warn(`input 'version' is ${options.version.trim()} but the source's annotations say ${sourceVersion.versions.join(', ')}; using ${version}`);
    }
    const subject = options.message.trim() || defaultSubject(app, environment, version);
    const message = commitMessage(subject, {
        sourceRepository: options.sourceRepository,
        sourceCommit: options.sourceCommit,
        version,
        environment,
        workflowRun: options.workflowRun,
    });
    const credentials = options.token
        ? { kind: 'token', token: options.token, scheme: options.tokenScheme ?? 'basic' }
        : options.sshKey
            ? { kind: 'ssh-key', privateKey: options.sshKey, knownHosts: options.sshKnownHosts }
            : { kind: 'none' };
    const identity = { name: options.authorName, email: options.authorEmail };
    if (!identity.name || !identity.email || /[<>\n]/.test(identity.name + identity.email)) {
        throw new errors/* InputError */.dz("inputs 'author-name' and 'author-email' must be non-empty, one line, without '<' or '>'");
    }
    log(`${pullRequest ? `propose ${path} for ${baseBranch} on ${branch}` : `write ${path} on ${branch}`} of ${remote.url}: ` +
        `${files.length} file(s) from ${options.source}${version ? `, version ${version}` : ''}${options.dryRun ? ' (dry run)' : ''}`);
    // Once all is done with the clone (a round may return a diff still being read): a head start's
    // directory goes while the caller reports, and the caller waits for it.
    const done = () => void deps.cloneHeadStart?.discard();
    return (0,private_temp_dir/* withPrivateTempDir */.x)(options.tempDir, async (privateDir) => {
        const access = (0,remote_access/* remoteAccess */.de)(remote, credentials, { dir: privateDir, homeDir: options.homeDir });
        for (const secret of access.secrets)
            deps.onSecret?.(secret);
        const cloneDir = options.cloneDir ?? (0,external_node_path_.join)(privateDir.path, 'clone');
        let attempts = 0;
        let contacted = false;
        /** A commit whose push ended without an answer: it may have landed. */
        let unconfirmed;
        /** What that commit changed, reported if it turns out to have landed. */
        let lastAttempt = { from: undefined, to: '', previousVersion: '' };
        /** The target directory last checked, and its version: a head that moved elsewhere needs no new check. */
        let checked;
        const result = (fields) => ({
            commitUrl: (0,repository_url/* commitUrl */.B)(remote, fields.commitSha),
            pullRequestNumber: undefined,
            pullRequestUrl: '',
            attempts,
            dryRun: options.dryRun,
            mode: options.mode,
            repository: remote.url,
            branch,
            baseBranch,
            path,
            version,
            notes,
            ...fields,
        });
        const noChange = { diff: { added: [], changed: [], removed: [] }, patch: '' };
        /** Runs a remote operation; a failure either ends the step with an explanation or becomes a RetryableFailure. */
        const remoteStep = async (action, fn) => {
            try {
                const value = await fn();
                contacted = true;
                return value;
            }
            catch (e) {
                if (!(e instanceof errors/* ToolError */.v4) || e.exitCode === null)
                    throw e;
                const kind = classifyGitFailure(e.stderrTail);
                if (kind === 'transient' || (kind === 'unreachable' && contacted))
                    throw new RetryableFailure(`${action}: ${gitLines(e.stderrTail) || e.reason}`);
                throw explainFailure(kind, remote, credentials, e.stderrTail, action) ?? e;
            }
        };
        // The first fetch is the clone itself (again in the next round if it broke off); the source's
        // blobs are written while the first head is read.
        let made;
        const repo = () => {
            if (!made)
                throw new Error('the GitOps repository is not cloned yet');
            return made;
        };
        const fetchOrClone = async (name) => {
            if (made)
                return remoteStep(`fetch ${name}`, () => repo().fetchBranch(name));
            const filter = (0,clone_command/* cloneFilter */.or)(remote, path, { pushMode: !pullRequest, extraFiles: extraFiles.length > 0 });
            const early = options.cloneDir === undefined ? deps.cloneHeadStart?.claim({ url: remote.url, branch: name, token: options.token, filter }) : undefined;
            if (!early)
                void deps.cloneHeadStart?.discard();
            const cloned = await remoteStep(`fetch ${name}`, () => early
                ? GitopsClone.clone(early.dir, remote, path, name, access, deps.onGitCommand, { filter, started: early.started })
                : GitopsClone.clone(cloneDir, remote, path, name, access, deps.onGitCommand, { filter }));
            made = cloned.clone;
            return cloned.found;
        };
        let source;
        // ---- extra files (extraFiles): placed into every tree built, part of every diff; nothing to do without them
        let placer;
        const extras = () => (placer ??= new ExtraFiles(repo().dir, extraFiles, log));
        const extrasMissing = async (commit) => extraFiles.length > 0 && (await extras().missingIn(commit)).length > 0;
        const withExtras = async (tree) => (extraFiles.length > 0 ? extras().place(tree) : tree);
        const diffOf = async (from, to) => {
            const change = await repo().diff(from, to);
            return extraFiles.length > 0 ? joinDiffs(change, await extras().diff(from, to)) : change;
        };
        /**
         * The fetched head of a branch, with the source's objects computed on the first call. The
         * target directory's contents, needed for the version check unless it already holds the
         * source, start coming at once: that fetch takes longest.
         */
        const readHead = async (name) => {
            const head = await repo().head(name, await repo().fetchedCommit(name));
            source ??= repo().planSource(files);
            if (head.kind === 'directory' && head.target !== source.tree)
                void repo().targetManifests(head);
            return head;
        };
        /** Did the unconfirmed push land? It did if its commit is the head or in the head's recent history. */
        const landedEarlier = async (head, headBranch) => {
            if (!unconfirmed)
                return false;
            if (head === unconfirmed)
                return true;
            await remoteStep(`fetch the history of ${headBranch}`, () => repo().deepen(headBranch, AMBIGUOUS_PUSH_DEPTH));
            return repo().isAncestor(unconfirmed, head);
        };
        const landedResult = async (commit) => result({ changed: true, commitSha: commit, ...(await diffOf(lastAttempt.from, lastAttempt.to)), previousVersion: lastAttempt.previousVersion });
        /**
         * What stands at the target path in `head`: a file or a symbolic link there (or on the way)
         * is refused; a directory's version is read from its objects, and a lower one of ours refused.
         */
        const checkTarget = async (head, where) => {
            if (head.kind === 'symlink' || head.kind === 'below-symlink') {
                throw new errors/* InputError */.dz(`input 'path': ${path} leads through a symbolic link in ${where}; refusing to write through it (it could point anywhere)`);
            }
            if (head.kind === 'file' || head.kind === 'below-file') {
                throw new errors/* InputError */.dz(`input 'path': ${head.kind === 'file' ? path : `a directory on the way to ${path}`} is a file in ${where}, not a directory`);
            }
            if (checked && checked.where === where && checked.target === head.target)
                return checked.version;
            let inPlaceVersion = '';
            if (head.kind === 'directory') {
                const read = await remoteStep(`fetch the contents of ${path}`, () => repo().targetManifests(head));
                if (read.fallbackReason)
                    log(`read ${where}:${path} with a sparse checkout (${(0,neutralise/* neutraliseLine */.f)(read.fallbackReason)})`);
                const inPlace = directoryVersion(read.files);
                if (inPlace.versions.length > 1)
                    log(`${where}:${path} holds objects of several versions (${inPlace.versions.join(', ')}); comparing with the highest`);
                if (inPlace.unreadable.length)
                    warn(`could not read ${inPlace.unreadable.join(', ')} in ${where}:${path} as YAML; their versions are not compared`);
                inPlaceVersion = inPlace.version;
            }
            const decision = decideVersion(version, inPlaceVersion, options.allowDowngrade, `${where}:${path}`);
            if (!decision.proceed)
                throw new errors/* InputError */.dz(decision.reason);
            log(decision.reason);
            if ('downgrade' in decision && decision.downgrade && !notes.includes(decision.reason))
                notes.push(decision.reason);
            checked = { where, target: head.target, version: inPlaceVersion };
            return inPlaceVersion;
        };
        /** The version check and the new tree, side by side (the tree needs no file content). */
        const checkAndBuild = async (checks, base) => {
            const [versions, tree] = await Promise.allSettled([
                (async () => {
                    const found = [];
                    for (const [head, where] of checks)
                        found.push(await checkTarget(head, where));
                    return found;
                })(),
                (async () => withExtras(repo().buildTree(base, source)))(),
            ]);
            if (versions.status === 'rejected')
                throw versions.reason;
            if (tree.status === 'rejected')
                throw tree.reason;
            return { previousVersion: versions.value.at(-1) ?? '', tree: tree.value };
        };
        try {
            for (let round = 1; round <= options.maxAttempts; round++) {
                try {
                    if (round > 1)
                        log(`attempt ${round} of ${options.maxAttempts}`);
                    if (!pullRequest) {
                        // ---- push mode: the target branch itself
                        const exists = await fetchOrClone(branch);
                        const head = exists ? await readHead(branch) : undefined;
                        let parent = head;
                        if (head === undefined) {
                            if (!options.createBranch) {
                                throw new errors/* InputError */.dz(`branch '${branch}' does not exist in ${remote.url}; check input 'branch', or set 'create-branch: true' to create it`);
                            }
                            const { defaultBranch } = await remoteStep('read the default branch', () => repo().lsRemote([]));
                            const started = defaultBranch ? await remoteStep(`fetch ${defaultBranch}`, () => repo().fetchBranch(defaultBranch)) : false;
                            parent = started ? await readHead(defaultBranch) : undefined;
                            if (!parent)
                                source ??= repo().planSource(files);
                            const note = parent
                                ? `branch '${branch}' does not exist: creating it from the default branch '${defaultBranch}' at ${parent.commit.slice(0, 12)}`
                                : `branch '${branch}' does not exist and the repository has no default branch: creating it with a first commit`;
                            log(note);
                            if (!notes.includes(note))
                                notes.push(note);
                        }
                        else {
                            log(`${branch} is at ${head.commit.slice(0, 12)}`);
                            if (unconfirmed && head.commit === unconfirmed) {
                                log(`the previous push did land: ${branch} is at our commit`);
                                return landedResult(head.commit);
                            }
                        }
                        if (head && head.target === source.tree && !(await extrasMissing(head.commit))) {
                            if (await landedEarlier(head.commit, branch)) {
                                log(`the previous push did land (${unconfirmed.slice(0, 12)} is in ${branch}'s history)`);
                                return landedResult(unconfirmed);
                            }
                            // Identical content carries identical annotations: nothing to read, nothing to check.
                            log(`no difference: ${branch} already holds this desired state in ${path}; nothing to commit`);
                            return result({ changed: false, commitSha: head.commit, ...noChange, previousVersion: version });
                        }
                        const { previousVersion, tree } = await checkAndBuild(parent ? [[parent, parent === head ? branch : 'the default branch']] : [], parent);
                        if (options.dryRun) {
                            const change = await diffOf(parent?.commit, tree);
                            log(`${path}: ${change.diff.added.length} added, ${change.diff.changed.length} changed, ${change.diff.removed.length} removed`);
                            log('dry run: nothing is committed or pushed');
                            return result({ changed: true, commitSha: head?.commit ?? '', ...change, previousVersion });
                        }
                        const commit = repo().commit(tree, parent ? [parent.commit] : [], message, identity);
                        lastAttempt = { from: parent?.commit, to: commit, previousVersion };
                        // The diff is read while the push runs (both objects are local already); the push starts first.
                        const pushing = pushCommit(commit, parent?.commit, { at: head?.commit });
                        const [pushed, change] = await Promise.all([pushing, diffOf(parent?.commit, commit)]);
                        if (pushed) {
                            log(`${path}: ${change.diff.added.length} added, ${change.diff.changed.length} changed, ${change.diff.removed.length} removed`);
                            return result({ changed: true, commitSha: commit, ...change, previousVersion });
                        }
                    }
                    else {
                        // ---- pull-request mode: gitops/<path>, proposing the base branch plus our directory
                        if (!(await fetchOrClone(baseBranch))) {
                            throw new errors/* InputError */.dz(`branch '${baseBranch}' does not exist in ${remote.url}; pull-request mode needs the base branch (input '${options.prBase ? 'pr-base' : 'branch'}')`);
                        }
                        const proposed = await remoteStep(`fetch ${branch}`, () => repo().fetchBranch(branch, PR_BRANCH_DEPTH));
                        const base = await readHead(baseBranch);
                        const proposal = proposed ? await repo().head(branch) : undefined;
                        log(`${baseBranch} is at ${base.commit.slice(0, 12)}; ${proposal ? `${branch} is at ${proposal.commit.slice(0, 12)}` : `${branch} does not exist yet`}`);
                        if (unconfirmed && proposal?.commit === unconfirmed) {
                            log(`the previous push did land: ${branch} is at our commit`);
                            return openPullRequest(await landedResult(proposal.commit));
                        }
                        if (base.target === source.tree && !(await extrasMissing(base.commit))) {
                            log(`no difference: ${baseBranch} already holds this desired state in ${path}; nothing to propose`);
                            return result({ changed: false, commitSha: base.commit, ...noChange, previousVersion: version });
                        }
                        const checks = proposal ? [[proposal, `${branch} (the open proposal)`], [base, baseBranch]] : [[base, baseBranch]];
                        const { previousVersion, tree } = await checkAndBuild(checks, base);
                        const change = await diffOf(base.commit, tree);
                        log(`${path}: ${change.diff.added.length} added, ${change.diff.changed.length} changed, ${change.diff.removed.length} removed against ${baseBranch}`);
                        if (proposal && (await repo().treeOf(proposal.commit)) === tree) {
                            log(`${branch} already proposes exactly this; making sure its pull request is open`);
                            const unchanged = result({ changed: false, commitSha: proposal.commit, ...change, previousVersion });
                            return options.dryRun ? unchanged : openPullRequest(unchanged);
                        }
                        if (options.dryRun) {
                            log('dry run: nothing is committed, pushed or proposed');
                            return result({ changed: true, commitSha: proposal?.commit ?? base.commit, ...change, previousVersion });
                        }
                        // Never a force push: an existing proposal gets a new commit on top. When the base has
                        // moved past it, the base becomes a second parent, so the pull request shows only our directory.
                        const parents = !proposal
                            ? [base.commit]
                            : (await repo().isAncestor(base.commit, proposal.commit))
                                ? [proposal.commit]
                                : [proposal.commit, base.commit];
                        const commit = repo().commit(tree, parents, message, identity);
                        lastAttempt = { from: base.commit, to: commit, previousVersion };
                        if (await pushCommit(commit, parents[0]))
                            return openPullRequest(result({ changed: true, commitSha: commit, ...change, previousVersion }));
                    }
                }
                catch (e) {
                    if (!(e instanceof RetryableFailure))
                        throw e;
                    log(`${(0,neutralise/* neutraliseLine */.f)(e.message)}: will try again`);
                }
                if (round < options.maxAttempts) {
                    const delay = backoffDelayMs(round, random(), backoff);
                    log(`waiting ${delay} ms before attempt ${round + 1} of ${options.maxAttempts}`);
                    await sleep(delay);
                }
            }
            throw new errors/* InputError */.dz(`gave up after ${options.maxAttempts} attempt(s): ${branch} of ${remote.url} kept moving or the connection kept failing; ` +
                "raise 'max-attempts' if many pipelines write to this repository at once");
        }
        finally {
            await made?.settle();
        }
        /**
         * One push; true when it landed, false when another round should rebuild on the new head.
         * `expected`: where the branch was when we read it (undefined: it did not exist); given, and
         * with nothing outside the target directory to place, the push is our own (push-objects.ts)
         * rather than a git process, and the remote refuses it unless the branch is still there.
         */
        async function pushCommit(commit, parent, expected) {
            attempts++;
            log(`pushing ${commit.slice(0, 12)} (parent ${parent ? parent.slice(0, 12) : 'none'}) to ${branch}`);
            const outcome = expected && extraFiles.length === 0 && repo().canPushInProcess(commit)
                ? await repo().pushInProcess(commit, branch, expected.at)
                : await repo().push(commit, branch);
            switch (outcome.kind) {
                case 'pushed':
                    unconfirmed = undefined;
                    log(`pushed ${commit.slice(0, 12)} to ${branch}${attempts > 1 ? ` after ${attempts} attempts` : ''}`);
                    return true;
                case 'lost-race':
                    log(`${branch} moved while we worked (${outcome.reason}): rebuilding on the new head`);
                    return false;
                case 'refused': {
                    const protectedHint = /protected branch|GH006|GH013|rule/i.test(`${outcome.reason} ${outcome.remoteLines.join(' ')}`)
                        ? " The branch is protected: use 'mode: pull-request'."
                        : '';
                    const remoteText = outcome.remoteLines.length ? `\n${outcome.remoteLines.slice(-6).join('\n')}` : '';
                    throw new errors/* InputError */.dz(`${remote.url} refused the push to ${branch}: ${outcome.reason}.${protectedHint}${remoteText}`);
                }
                case 'failed':
                    if (outcome.failure === 'transient' || (outcome.failure === 'unreachable' && contacted)) {
                        unconfirmed = commit;
                        throw new RetryableFailure(`push to ${branch} failed without an answer (${gitLines(outcome.text).split('\n').at(-1) ?? 'connection lost'})`);
                    }
                    throw (explainFailure(outcome.failure, remote, credentials, outcome.text, `push to ${branch} of`) ??
                        new errors/* ToolError */.v4(`git push origin ${commit}:refs/heads/${branch}`, null, outcome.text, 'failed'));
            }
        }
        async function openPullRequest(landed) {
            const github = remote.github;
            const body = pullRequestBody({
                path,
                base: baseBranch,
                version,
                previousVersion: landed.previousVersion,
                sourceRepository: options.sourceRepository,
                sourceCommit: options.sourceCommit,
                workflowRun: options.workflowRun,
                diff: landed.diff,
                patch: landed.patch,
            });
            const pr = await deps.pullRequestApi.openOrUpdate({
                owner: github.owner,
                repo: github.repo,
                head: branch,
                base: baseBranch,
                title: options.prTitle.trim() || subject.split('\n')[0],
                body,
                labels: options.prLabels,
                autoMerge: options.autoMerge,
            });
            log(`pull request #${pr.number} ${pr.created ? 'opened' : 'updated'}: ${pr.url}`);
            if (options.autoMerge && pr.autoMerge === 'unavailable') {
                const note = `auto-merge could not be enabled${pr.autoMergeReason ? `: ${pr.autoMergeReason}` : ''}`;
                warn(note);
                notes.push(note);
            }
            return { ...landed, pullRequestNumber: pr.number, pullRequestUrl: pr.url };
        }
    }).finally(done);
}

;// CONCATENATED MODULE: ./packages/core/src/github/auto-merge.ts
const MUTATION = `mutation EnableAutoMerge($pullRequestId: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $pullRequestId, mergeMethod: $mergeMethod }) {
    pullRequest { number autoMergeRequest { mergeMethod } }
  }
}`;
/** What to do about GitHub's refusal, where there is something to do. */
function hint(type, message) {
    if (type === 'FORBIDDEN' || /not accessible by/i.test(message)) {
        return 'the token needs `pull-requests: write` and `contents: write` to enable auto-merge';
    }
    if (/auto merge is not allowed/i.test(message)) {
        return 'enable "Allow auto-merge" in the repository settings (Settings → General → Pull Requests)';
    }
    if (/is in (clean|unstable) status/i.test(message)) {
        return 'nothing is pending (no required check or review), so GitHub has nothing to wait for; protect the base branch with required checks, or merge the pull request';
    }
    return '';
}
async function enableAutoMerge(api, target, pullRequest, method) {
    const { data, errors } = await api.graphql({
        operation: `enable auto-merge on pull request #${pullRequest.number} in ${target.owner}/${target.repo}`,
        repository: `${target.owner}/${target.repo}`,
        permission: 'pull-requests: write',
    }, MUTATION, { pullRequestId: pullRequest.nodeId, mergeMethod: method.toUpperCase() });
    if (errors.length > 0) {
        const reasons = errors.map((e) => {
            const advice = hint(e.type, e.message);
            return advice ? `${e.message} (${advice})` : e.message;
        });
        return { state: 'unavailable', reason: reasons.join('; ') };
    }
    const granted = data?.enablePullRequestAutoMerge?.pullRequest?.autoMergeRequest?.mergeMethod;
    if (typeof granted !== 'string') {
        return { state: 'unavailable', reason: 'GitHub accepted the request but reports no auto-merge on the pull request' };
    }
    const answered = granted.toLowerCase();
    return { state: 'enabled', method: answered === 'merge' || answered === 'squash' || answered === 'rebase' ? answered : method };
}

// EXTERNAL MODULE: ./packages/core/src/exec/redact.ts
var redact = __webpack_require__(4462);
;// CONCATENATED MODULE: ./packages/core/src/github/github-error.ts



const MAX_DETAILS = 5;
const MAX_TEXT = 300;
/** Text from GitHub, made safe to show: no secrets, one line, bounded. */
function safeGitHubText(text, secrets) {
    return (0,neutralise/* neutraliseLine */.f)((0,redact/* redact */.E)(text, secrets)).slice(0, MAX_TEXT);
}
function parseGitHubErrorBody(data, secrets) {
    let parsed = data;
    if (typeof data === 'string') {
        try {
            parsed = JSON.parse(data);
        }
        catch {
            return { message: data.trim() ? safeGitHubText(data.trim().split('\n')[0] ?? '', secrets) : '', details: [], documentationUrl: '' };
        }
    }
    if (typeof parsed !== 'object' || parsed === null)
        return { message: '', details: [], documentationUrl: '' };
    const { message, errors, documentation_url: docs } = parsed;
    const details = (Array.isArray(errors) ? errors : []).slice(0, MAX_DETAILS).flatMap((entry) => {
        if (typeof entry === 'string')
            return [entry];
        if (typeof entry !== 'object' || entry === null)
            return [];
        const e = entry;
        if (typeof e.message === 'string' && e.message)
            return [e.message];
        const where = [e.resource, e.field].filter((v) => typeof v === 'string' && v).join('.');
        const code = typeof e.code === 'string' ? e.code : '';
        return where || code ? [[where, code].filter(Boolean).join(': ')] : [];
    });
    return {
        // GitHub's schema errors put a blank line and the detail into `message`; one line keeps it readable.
        message: typeof message === 'string' ? safeGitHubText(message.replace(/\s*\n+\s*/g, ' '), secrets) : '',
        details: details.map((d) => safeGitHubText(d, secrets)),
        documentationUrl: typeof docs === 'string' ? safeGitHubText(docs, secrets) : '',
    };
}
/** `422 Validation Failed: No commits between main and gitops/x` */
function describeGitHubAnswer(status, body) {
    const head = body.message ? `${status} ${body.message}` : String(status);
    return body.details.length > 0 ? `${head}: ${body.details.join('; ')}` : head;
}
/** GitHub refused the request for a reason the user can fix (credentials, permissions, names, validation). */
class GitHubRefusedError extends errors/* InputError */.dz {
    operation;
    status;
    githubMessage;
    details;
    constructor(message, operation, status, githubMessage, details) {
        super(message);
        this.operation = operation;
        this.status = status;
        this.githubMessage = githubMessage;
        this.details = details;
    }
}
/** GitHub failed, could not be reached, or kept us rate limited past the bound. */
class GitHubUnavailableError extends errors/* ToolError */.v4 {
    operation;
    status;
    githubMessage;
    details;
    constructor(apiHost, reason, operation, status, githubMessage = '', details = []) {
        super(`GitHub API ${apiHost}`, null, '', reason);
        this.operation = operation;
        this.status = status;
        this.githubMessage = githubMessage;
        this.details = details;
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/api-url.ts


/**
 * Where GitHub's APIs are for a given server. On a runner GITHUB_API_URL says
 * it; elsewhere (the CLI, another CI) it follows from the server URL the way
 * GitHub lays its products out.
 */
const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);
/** The API root as a URL; plain http only on loopback, so a token never crosses a network in clear text. */
function parseApiUrl(apiUrl) {
    let url;
    try {
        url = new URL(apiUrl.trim());
    }
    catch {
        throw new errors/* InputError */.dz(`GitHub API URL '${(0,neutralise/* neutraliseLine */.f)(apiUrl)}' is not a URL (expected e.g. https://api.github.com, the runner's GITHUB_API_URL)`);
    }
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
        throw new errors/* InputError */.dz(`GitHub API URL '${(0,neutralise/* neutraliseLine */.f)(url.origin)}' must use https (plain http is accepted only on loopback)`);
    }
    if (url.username || url.password || url.search || url.hash) {
        throw new errors/* InputError */.dz('GitHub API URL must not carry credentials, a query or a fragment');
    }
    return url;
}
/** The REST root as octokit's baseUrl: no trailing slash, so `/repos/…` appends cleanly. */
function restBaseUrl(api) {
    return `${api.origin}${api.pathname.replace(/\/+$/, '')}`;
}
/** GraphQL root for a REST root: `…/api/v3` (Enterprise Server) becomes `…/api`; elsewhere it is the same host. */
function graphqlBaseUrl(rest) {
    return restBaseUrl(rest).replace(/\/api\/v3$/, '/api');
}
/**
 * The REST root for a server URL when GITHUB_API_URL is not set:
 * github.com → api.github.com; SUBDOMAIN.ghe.com → api.SUBDOMAIN.ghe.com;
 * any other host (GitHub Enterprise Server) → HOST/api/v3.
 */
function apiUrlForServer(serverUrl) {
    let server;
    try {
        server = new URL(serverUrl.trim() || 'https://github.com');
    }
    catch {
        throw new InputError(`GitHub server URL '${neutraliseLine(serverUrl)}' is not a URL (expected e.g. https://github.com)`);
    }
    if (server.hostname === 'github.com')
        return 'https://api.github.com';
    if (server.hostname.endsWith('.ghe.com'))
        return `${server.protocol}//api.${server.host}`;
    return `${server.origin}/api/v3`;
}

;// CONCATENATED MODULE: ./packages/core/src/github/load-octokit.ts
async function loadOctokit(options) {
    const started = performance.now();
    const github = await __webpack_require__.e(/* import() */ 413).then(__webpack_require__.bind(__webpack_require__, 2413));
    const loadMs = performance.now() - started;
    // getOctokit keeps @actions/github's request defaults (its proxy-aware fetch); only baseUrl,
    // user agent and log are ours. The token becomes an `Authorization: token …` header and is
    // redacted from octokit's own error objects.
    const octokit = github.getOctokit(options.token, { baseUrl: options.baseUrl, userAgent: options.userAgent, log: options.log });
    return { octokit, loadMs };
}

;// CONCATENATED MODULE: ./packages/core/src/github/rate-limit.ts
/**
 * GitHub's rate-limit answers and how long to wait for them, as pure
 * functions so the bounds are tested without a clock. GitHub's own guidance:
 * honour `retry-after` when present; otherwise, when `x-ratelimit-remaining`
 * is 0, wait until `x-ratelimit-reset` (UTC epoch seconds); otherwise wait at
 * least a minute, growing exponentially. A job must not hang for an hour on a
 * spent quota, so every wait is bounded and a longer one is refused with the
 * time the quota comes back.
 */
const DEFAULT_RATE_LIMIT_POLICY = {
    maxAttempts: 4,
    maxWaitMs: 120_000,
    maxTotalWaitMs: 300_000,
    secondaryWaitMs: 60_000,
    resetMarginMs: 1_000,
};
function header(headers, name) {
    const value = headers[name] ?? headers[name.toLowerCase()];
    return value === undefined ? undefined : String(value).trim();
}
/**
 * Whether a 403/429 is a rate limit rather than a refusal. A 403 without any
 * rate-limit sign is a permission answer and must not be waited on.
 */
function classifyRateLimit(status, headers, message) {
    if (status !== 403 && status !== 429)
        return undefined;
    const retryAfter = header(headers, 'retry-after');
    if (retryAfter !== undefined && /^\d+$/.test(retryAfter)) {
        return { kind: 'secondary', retryAfterMs: Number(retryAfter) * 1000 };
    }
    if (header(headers, 'x-ratelimit-remaining') === '0') {
        const reset = header(headers, 'x-ratelimit-reset');
        if (reset !== undefined && /^\d+$/.test(reset)) {
            const date = Date.parse(header(headers, 'date') ?? '');
            return { kind: 'primary', resetAtMs: Number(reset) * 1000, serverNowMs: Number.isNaN(date) ? undefined : date };
        }
        return { kind: 'secondary', retryAfterMs: undefined };
    }
    if (status === 429 || /rate limit/i.test(message))
        return { kind: 'secondary', retryAfterMs: undefined };
    return undefined;
}
/**
 * The wait before the next attempt, or why there is none. `attempt` is the
 * attempt that was just limited (1-based); `waitedMs` what this request has
 * already waited. A primary-limit wait is measured against GitHub's `date`
 * header when there is one, so a runner's skewed clock cannot shorten it.
 */
function rateLimitDelay(answer, options) {
    const { attempt, waitedMs, now, policy } = options;
    let delayMs;
    let resetNote = '';
    if (answer.kind === 'primary') {
        delayMs = Math.max(0, answer.resetAtMs - (answer.serverNowMs ?? now)) + policy.resetMarginMs;
        resetNote = ` (the quota resets at ${new Date(answer.resetAtMs).toISOString()})`;
    }
    else {
        delayMs = answer.retryAfterMs ?? policy.secondaryWaitMs * 2 ** Math.max(0, attempt - 1);
    }
    const what = answer.kind === 'primary' ? 'the API rate limit is spent' : 'a secondary rate limit was hit';
    if (attempt >= policy.maxAttempts) {
        return { wait: false, reason: `${what}${resetNote}, and ${attempt} attempts were made` };
    }
    if (delayMs > policy.maxWaitMs || waitedMs + delayMs > policy.maxTotalWaitMs) {
        return {
            wait: false,
            reason: `${what}${resetNote}; waiting ${formatDuration(delayMs)} is longer than the ${formatDuration(Math.min(policy.maxWaitMs, Math.max(0, policy.maxTotalWaitMs - waitedMs)))} this action waits`,
        };
    }
    return { wait: true, delayMs };
}
/** `90 s`, `4 min`, `2 h 5 min`: for messages, not arithmetic. */
function formatDuration(ms) {
    const seconds = Math.ceil(ms / 1000);
    if (seconds < 120)
        return `${seconds} s`;
    const minutes = Math.ceil(seconds / 60);
    if (minutes < 120)
        return `${minutes} min`;
    return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

;// CONCATENATED MODULE: ./packages/core/src/github/github-api.ts





const API_VERSION = '2022-11-28';
const USER_AGENT = 'gitops-actions';
const DEFAULT_TIMEOUT_MS = 30_000;
const TRANSIENT_ATTEMPTS = 3;
const TRANSIENT_BASE_DELAY_MS = 1_000;
function asOctokitFailure(thrown) {
    if (typeof thrown !== 'object' || thrown === null)
        return undefined;
    const { status, message, response } = thrown;
    if (typeof status !== 'number' || typeof message !== 'string')
        return undefined;
    return { status, message, ...(typeof response === 'object' && response !== null ? { response: response } : {}) };
}
class GitHubApi {
    octokit;
    apiUrl;
    connection;
    policy;
    secrets;
    sleep;
    now;
    constructor(octokit, apiUrl, connection) {
        this.octokit = octokit;
        this.apiUrl = apiUrl;
        this.connection = connection;
        this.policy = { ...DEFAULT_RATE_LIMIT_POLICY, ...connection.rateLimit };
        this.secrets = [connection.token];
        this.sleep = connection.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
        this.now = connection.now ?? Date.now;
    }
    /** Loads @actions/github (the first call pays for it) and returns a client for `apiUrl`. */
    static async connect(connection) {
        if (!connection.token) {
            throw new errors/* InputError */.dz('a GitHub token is needed to open a pull request: pass the workflow token (${{ github.token }}) or a GitHub App or personal access token');
        }
        const apiUrl = parseApiUrl(connection.apiUrl);
        const log = connection.log;
        const safe = (message) => safeGitHubText(message, [connection.token]);
        const { octokit, loadMs } = await loadOctokit({
            token: connection.token,
            baseUrl: restBaseUrl(apiUrl),
            userAgent: USER_AGENT,
            log: {
                debug: (m) => log?.debug?.(safe(m)),
                info: (m) => log?.debug?.(safe(m)),
                // Octokit warns about deprecated endpoints; worth a reader's eye.
                warn: (m) => log?.warning(safe(m)),
                error: (m) => log?.warning(safe(m)),
            },
        });
        log?.debug?.(`loaded the GitHub client (@actions/github) in ${Math.round(loadMs)} ms`);
        return new GitHubApi(octokit, apiUrl, connection);
    }
    get host() {
        return this.apiUrl.host;
    }
    /** A REST call: `GET /repos/{owner}/{repo}/pulls` with its parameters. */
    async rest(purpose, route, params = {}) {
        return this.send(purpose, route, { ...params, headers: { 'x-github-api-version': API_VERSION } });
    }
    /**
     * A GraphQL call. GraphQL answers 200 with `errors` for refusals (a
     * repository that does not allow auto-merge, a token without permission);
     * they are returned, not thrown, because what they mean depends on the call.
     */
    async graphql(purpose, query, variables) {
        const response = await this.send(purpose, 'POST /graphql', {
            baseUrl: graphqlBaseUrl(this.apiUrl),
            query,
            variables,
        });
        const body = response.data ?? {};
        const errors = (Array.isArray(body.errors) ? body.errors : []).map((e) => {
            const { type, message } = (typeof e === 'object' && e !== null ? e : {});
            return {
                type: typeof type === 'string' ? type : '',
                message: typeof message === 'string' ? safeGitHubText(message, this.secrets) : 'GraphQL error without a message',
            };
        });
        return { data: body.data ?? null, errors };
    }
    async send(purpose, route, params) {
        const log = this.connection.log;
        let waitedMs = 0;
        for (let attempt = 1;; attempt++) {
            try {
                const response = await this.octokit.request(route, {
                    ...params,
                    request: { signal: AbortSignal.timeout(this.connection.timeoutMs ?? DEFAULT_TIMEOUT_MS) },
                });
                return { status: response.status, headers: response.headers, data: response.data };
            }
            catch (thrown) {
                const failure = asOctokitFailure(thrown);
                if (!failure)
                    throw thrown;
                const answer = failure.response;
                const body = parseGitHubErrorBody(answer?.data, this.secrets);
                const limited = answer ? classifyRateLimit(answer.status, answer.headers, body.message) : undefined;
                if (limited && answer) {
                    const decision = rateLimitDelay(limited, { attempt, waitedMs, now: this.now(), policy: this.policy });
                    if (!decision.wait) {
                        throw new GitHubUnavailableError(this.host, `could not ${purpose.operation}: ${describeGitHubAnswer(answer.status, body)}; ${decision.reason}. Try again later, or use a token with its own quota (a GitHub App installation token)`, purpose.operation, answer.status, body.message, body.details);
                    }
                    log?.warning(`GitHub API rate limit (${answer.status}${body.message ? ` ${body.message}` : ''}) while trying to ${purpose.operation}: waiting ${formatDuration(decision.delayMs)} before attempt ${attempt + 1}`);
                    await this.sleep(decision.delayMs);
                    waitedMs += decision.delayMs;
                    continue;
                }
                // No answer (connection refused or dropped, timeout) or a server error: worth a few more tries.
                // Every call here is safe to repeat: creating a pull request twice is refused with 422, which the caller handles.
                const transient = !answer || (answer.status >= 500 && answer.status !== 501);
                if (transient && attempt < TRANSIENT_ATTEMPTS) {
                    const delayMs = TRANSIENT_BASE_DELAY_MS * 2 ** (attempt - 1);
                    const what = answer ? describeGitHubAnswer(answer.status, body) : safeGitHubText(failure.message, this.secrets);
                    log?.info(`GitHub API: ${what} while trying to ${purpose.operation}; attempt ${attempt + 1} in ${formatDuration(delayMs)}`);
                    await this.sleep(delayMs);
                    waitedMs += delayMs;
                    continue;
                }
                throw this.failure(purpose, failure, body, attempt);
            }
        }
    }
    failure(purpose, failure, body, attempts) {
        const answer = failure.response;
        if (!answer) {
            const reason = safeGitHubText(failure.message, this.secrets);
            return new GitHubUnavailableError(this.host, `could not ${purpose.operation}: ${reason} (${attempts} attempt${attempts === 1 ? '' : 's'}; is ${this.apiUrl.origin} reachable from the runner?)`, purpose.operation, undefined);
        }
        const status = answer.status;
        const said = describeGitHubAnswer(status, body);
        const docs = body.documentationUrl ? ` (${body.documentationUrl})` : '';
        const extra = purpose.explain?.(status, body);
        const refuse = (message) => new GitHubRefusedError(extra ? `${message}\n${extra}` : message, purpose.operation, status, body.message, body.details);
        if (status === 401) {
            return refuse(`GitHub rejected the token while trying to ${purpose.operation} (${said}). ` +
                `It is wrong, expired or revoked, or it belongs to another GitHub server than ${this.apiUrl.origin}.`);
        }
        if (status === 403 && /not permitted to create or approve pull requests/i.test(body.message)) {
            return refuse(`GitHub refused to ${purpose.operation} (${said}). The workflow token may not open pull requests in this repository: ` +
                `enable "Allow GitHub Actions to create and approve pull requests" (repository or organisation Settings → Actions → General → Workflow permissions), ` +
                `or pass a GitHub App or personal access token.`);
        }
        if (status === 403 && /not accessible by (integration|personal access token)/i.test(body.message)) {
            return refuse(`GitHub refused to ${purpose.operation} (${said}): the token lacks the \`${purpose.permission}\` permission. ` +
                `For the workflow token, add it to the job:\n  permissions:\n    contents: write\n    ${purpose.permission}\n` +
                `A GitHub App or fine-grained token needs the same permission on ${purpose.repository}.`);
        }
        if (status === 404) {
            return refuse(`GitHub answered ${said} while trying to ${purpose.operation}: the repository ${purpose.repository} does not exist on ${this.apiUrl.origin}, ` +
                `or the token cannot see it (the workflow token reaches only the repository the workflow runs in; for another one use a GitHub App or personal access token with access to it).`);
        }
        if (status >= 400 && status < 500) {
            return refuse(`GitHub refused to ${purpose.operation}: ${said}${docs}`);
        }
        return new GitHubUnavailableError(this.host, `could not ${purpose.operation}: ${said} (${attempts} attempt${attempts === 1 ? '' : 's'})`, purpose.operation, status, body.message, body.details);
    }
}

;// CONCATENATED MODULE: ./packages/core/src/github/pull-request-labels.ts


/**
 * Labels on a pull request. Every pull request is an issue, so labels go
 * through the issues endpoint; adding one the repository does not have yet
 * creates it (GitHub's behaviour), so no separate label management is needed.
 */
/** GitHub's limit on a label name. */
const MAX_LABEL_LENGTH = 50;
/** GitHub's limit on labels per issue. */
const MAX_LABELS = 100;
/**
 * Label names as GitHub will accept them: trimmed, without empties, each
 * once (GitHub compares names without regard to case), within GitHub's limits.
 */
function normaliseLabels(labels) {
    const seen = new Set();
    const out = [];
    for (const raw of labels) {
        const name = raw.trim();
        if (!name)
            continue;
        if ([...name].length > MAX_LABEL_LENGTH) {
            throw new errors/* InputError */.dz(`pull request label '${(0,neutralise/* neutraliseLine */.f)(name)}' is longer than GitHub's ${MAX_LABEL_LENGTH} characters`);
        }
        if (seen.has(name.toLowerCase()))
            continue;
        seen.add(name.toLowerCase());
        out.push(name);
    }
    if (out.length > MAX_LABELS)
        throw new errors/* InputError */.dz(`${out.length} pull request labels given; GitHub allows at most ${MAX_LABELS}`);
    return out;
}
/** The labels of `wanted` the pull request does not carry yet. */
function missingLabels(wanted, present) {
    const have = new Set(present.map((l) => l.toLowerCase()));
    return wanted.filter((l) => !have.has(l.toLowerCase()));
}
/** Adds labels (never removes any); returns the names the pull request carries afterwards. */
async function addLabels(api, target, number, labels) {
    const response = await api.rest({
        operation: `add labels to pull request #${number} in ${target.owner}/${target.repo}`,
        repository: `${target.owner}/${target.repo}`,
        permission: 'pull-requests: write',
    }, 'POST /repos/{owner}/{repo}/issues/{issue_number}/labels', { owner: target.owner, repo: target.repo, issue_number: number, labels: [...labels] });
    return (Array.isArray(response.data) ? response.data : []).flatMap((l) => {
        const name = typeof l === 'object' && l !== null ? l.name : undefined;
        return typeof name === 'string' ? [name] : [];
    });
}

;// CONCATENATED MODULE: ./packages/core/src/github/pull-requests.ts

function purpose(target, operation, permission) {
    return { operation, repository: `${target.owner}/${target.repo}`, permission };
}
/** GitHub's object to ours; an answer without the fields every pull request has is GitHub misbehaving. */
function toPullRequest(api, operation, data) {
    const pr = (typeof data === 'object' && data !== null ? data : {});
    if (typeof pr.number !== 'number' || typeof pr.node_id !== 'string' || typeof pr.html_url !== 'string') {
        throw new GitHubUnavailableError(api.host, `could not ${operation}: GitHub's answer is not a pull request (no number, node_id or html_url)`, operation, undefined);
    }
    const labels = (Array.isArray(pr.labels) ? pr.labels : []).flatMap((l) => {
        const name = typeof l === 'string' ? l : typeof l === 'object' && l !== null ? l.name : undefined;
        return typeof name === 'string' ? [name] : [];
    });
    const method = typeof pr.auto_merge === 'object' && pr.auto_merge !== null ? pr.auto_merge.merge_method : undefined;
    return {
        number: pr.number,
        nodeId: pr.node_id,
        url: pr.html_url,
        title: typeof pr.title === 'string' ? pr.title : '',
        body: typeof pr.body === 'string' ? pr.body : '',
        labels,
        autoMerge: method === 'merge' || method === 'squash' || method === 'rebase' ? method : undefined,
    };
}
/**
 * The open pull request from `head` into `base`, if any. GitHub filters by
 * head only in the `owner:branch` form; a bare branch name is ignored and every
 * open pull request comes back, so the owner is always given.
 */
async function findOpenPullRequest(api, target) {
    const operation = `look for an open pull request from ${target.head} into ${target.base} in ${target.owner}/${target.repo}`;
    const response = await api.rest(purpose(target, operation, 'pull-requests: read'), 'GET /repos/{owner}/{repo}/pulls', {
        owner: target.owner,
        repo: target.repo,
        head: `${target.owner}:${target.head}`,
        base: target.base,
        state: 'open',
        per_page: 100,
    });
    if (!Array.isArray(response.data)) {
        throw new GitHubUnavailableError(api.host, `could not ${operation}: GitHub's answer is not a list`, operation, response.status);
    }
    // GitHub allows one open pull request per head and base; the oldest wins if that ever changes.
    const found = response.data.map((d) => toPullRequest(api, operation, d)).sort((a, b) => a.number - b.number);
    return found[0];
}
async function createPullRequest(api, target, content) {
    const operation = `open a pull request from ${target.head} into ${target.base} in ${target.owner}/${target.repo}`;
    const response = await api.rest({
        ...purpose(target, operation, 'pull-requests: write'),
        explain: (status, body) => status === 422 && body.details.some((d) => /\bhead\b.*invalid/i.test(d))
            ? `The branch ${target.head} must exist in ${target.owner}/${target.repo} (pushed) before a pull request can be opened from it.`
            : status === 422 && body.details.some((d) => /\bbase\b.*invalid/i.test(d))
                ? `The base branch ${target.base} does not exist in ${target.owner}/${target.repo}.`
                : undefined,
    }, 'POST /repos/{owner}/{repo}/pulls', { owner: target.owner, repo: target.repo, head: target.head, base: target.base, title: content.title, body: content.body });
    return toPullRequest(api, operation, response.data);
}
async function updatePullRequest(api, target, number, content) {
    const operation = `update pull request #${number} in ${target.owner}/${target.repo}`;
    const response = await api.rest(purpose(target, operation, 'pull-requests: write'), 'PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        owner: target.owner,
        repo: target.repo,
        pull_number: number,
        title: content.title,
        body: content.body,
    });
    return toPullRequest(api, operation, response.data);
}
/** GitHub's 422 when an open pull request for the same head and base exists (a concurrent run opened it first). */
function isAlreadyExists(details) {
    return details.some((d) => /a pull request already exists/i.test(d));
}

;// CONCATENATED MODULE: ./packages/core/src/github/open-or-update-pull-request.ts








/** GitHub's limit on a pull request body. */
const MAX_BODY_LENGTH = 65_536;
const TRUNCATED_NOTE = '\n\n… (cut to GitHub\'s 65,536-character limit)';
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;
function mergeMethodOf(autoMerge) {
    if (autoMerge === false)
        return undefined;
    if (autoMerge === true)
        return 'squash';
    if (autoMerge === 'merge' || autoMerge === 'squash' || autoMerge === 'rebase')
        return autoMerge;
    throw new errors/* InputError */.dz(`auto-merge must be true, false, merge, squash or rebase (got '${(0,neutralise/* neutraliseLine */.f)(String(autoMerge))}')`);
}
function checkOptions(options) {
    for (const [what, value] of [
        ['repository owner', options.owner],
        ['repository name', options.repo],
    ]) {
        if (!NAME.test(value) || value === '.' || value === '..') {
            throw new errors/* InputError */.dz(`${what} '${(0,neutralise/* neutraliseLine */.f)(value)}' is not a GitHub name (letters, digits, '-', '_', '.')`);
        }
    }
    for (const [what, value] of [
        ['pull request branch', options.head],
        ['pull request base branch', options.base],
    ]) {
        const problem = (0,git/* refNameProblem */.CY)(value);
        if (problem)
            throw new errors/* InputError */.dz(`${what} '${(0,neutralise/* neutraliseLine */.f)(value)}' is not a branch name: ${problem}`);
    }
    if (options.head === options.base) {
        throw new errors/* InputError */.dz(`pull request branch and base branch are both '${(0,neutralise/* neutraliseLine */.f)(options.head)}'`);
    }
    if (!options.title.trim())
        throw new errors/* InputError */.dz('a pull request needs a title (pr-title is empty)');
}
function fitBody(body) {
    if (body.length <= MAX_BODY_LENGTH)
        return body;
    let cut = body.slice(0, MAX_BODY_LENGTH - TRUNCATED_NOTE.length);
    // Never leave half of a surrogate pair at the cut.
    if (/[\uD800-\uDBFF]$/.test(cut))
        cut = cut.slice(0, -1);
    return cut + TRUNCATED_NOTE;
}
async function openOrUpdatePullRequest(options, connection) {
    checkOptions(options);
    const method = mergeMethodOf(options.autoMerge);
    const labels = normaliseLabels(options.labels);
    const content = { title: options.title.trim(), body: fitBody(options.body) };
    const target = { owner: options.owner, repo: options.repo, head: options.head, base: options.base };
    const log = connection.log;
    const shown = (pr) => `#${pr.number} "${(0,neutralise/* neutraliseLine */.f)(pr.title)}" (${(0,neutralise/* neutraliseLine */.f)(pr.url)})`;
    const branches = `${(0,neutralise/* neutraliseLine */.f)(options.head)} → ${(0,neutralise/* neutraliseLine */.f)(options.base)}`;
    const api = await GitHubApi.connect(connection);
    let pr = await findOpenPullRequest(api, target);
    let created = false;
    let updated = false;
    if (!pr) {
        try {
            pr = await createPullRequest(api, target, content);
            created = true;
            log?.info(`opened pull request ${shown(pr)} for ${branches}`);
        }
        catch (error) {
            // Another run for the same branch opened it between our look and our create: update theirs.
            if (!(error instanceof GitHubRefusedError && error.status === 422 && isAlreadyExists(error.details)))
                throw error;
            pr = await findOpenPullRequest(api, target);
            if (!pr)
                throw error;
            log?.info(`pull request ${shown(pr)} was opened by a concurrent run; updating it`);
        }
    }
    else {
        log?.info(`found open pull request ${shown(pr)} for ${branches}`);
    }
    if (!created && (pr.title !== content.title || pr.body !== content.body)) {
        pr = await updatePullRequest(api, target, pr.number, content);
        updated = true;
        log?.info(`updated the title and body of pull request ${shown(pr)}`);
    }
    else if (!created) {
        log?.info(`pull request #${pr.number} already has this title and body`);
    }
    let prLabels = pr.labels;
    const toAdd = missingLabels(labels, prLabels);
    if (toAdd.length > 0) {
        prLabels = await addLabels(api, target, pr.number, toAdd);
        log?.info(`labelled pull request #${pr.number}: ${toAdd.map((l) => (0,neutralise/* neutraliseLine */.f)(l)).join(', ')}`);
    }
    let autoMerge = 'not-requested';
    let autoMergeReason = '';
    if (method && pr.autoMerge === method) {
        autoMerge = 'enabled';
        log?.info(`auto-merge (${method}) is already enabled on pull request #${pr.number}`);
    }
    else if (method) {
        const result = await enableAutoMerge(api, target, pr, method);
        if (result.state === 'enabled') {
            autoMerge = 'enabled';
            log?.info(`enabled auto-merge (${result.method}) on pull request #${pr.number}: it merges once its required checks and reviews pass`);
        }
        else {
            autoMerge = 'unavailable';
            autoMergeReason = result.reason;
            log?.warning(`auto-merge is unavailable for pull request #${pr.number}: ${result.reason}. The pull request is open and needs merging by hand.`);
        }
    }
    return { number: pr.number, url: pr.url, created, updated, labels: prLabels, autoMerge, autoMergeReason };
}

// EXTERNAL MODULE: ./packages/core/src/runtime/inputs.ts
var inputs = __webpack_require__(9405);
// EXTERNAL MODULE: ./packages/core/src/runtime/run-action.ts
var run_action = __webpack_require__(8770);
;// CONCATENATED MODULE: ./actions/commit-to-gitops/src/action.ts








/**
 * The GitHub REST client for pull-request mode. `@actions/github` is loaded
 * inside it only when a pull request is opened, so push mode never pays for it.
 */
function pullRequestApi(token, context, runtime) {
    return { openOrUpdate: (request) => openOrUpdatePullRequest(request, { token, apiUrl: context.apiUrl, log: runtime }) };
}
/** A diff beyond this (a CRD bundle, a regenerated chart) is cut in the log; the commit has it whole. */
const MAX_LOGGED_PATCH = 256 * 1024;
const COMMIT_INPUTS = {
    config: inputs/* input */.h.config('commit'),
    environment: inputs/* input */.h.string(),
    repository: inputs/* input */.h.string({ required: 'or-config' }),
    branch: inputs/* input */.h.string({ fallback: 'main' }),
    'create-branch': inputs/* input */.h.boolean({ fallback: 'false' }),
    token: inputs/* input */.h.string({ secret: true }),
    'ssh-key': inputs/* input */.h.string({ secret: true }),
    'ssh-known-hosts': inputs/* input */.h.string(),
    source: inputs/* input */.h.string({ required: true }),
    path: inputs/* input */.h.string(),
    version: inputs/* input */.h.string(),
    message: inputs/* input */.h.string(),
    'author-name': inputs/* input */.h.string({ default: 'github-actions[bot]' }),
    'author-email': inputs/* input */.h.string({ default: '41898282+github-actions[bot]@users.noreply.github.com' }),
    mode: inputs/* input */.h.oneOf(['push', 'pull-request'], { fallback: 'push' }),
    'pr-title': inputs/* input */.h.string(),
    'pr-labels': inputs/* input */.h.list(),
    'pr-base': inputs/* input */.h.string(),
    'auto-merge': inputs/* input */.h.boolean({ fallback: 'false' }),
    'max-attempts': inputs/* input */.h.integer({ default: '10', min: 1, max: 100 }),
    'allow-downgrade': inputs/* input */.h.boolean({ default: 'false' }),
    'dry-run': inputs/* input */.h.boolean({ default: 'false' }),
};
const COMMIT_OUTPUTS = ['changed', 'commit-sha', 'commit-url', 'pull-request-number', 'pull-request-url', 'attempts', 'diff'];
/**
 * The action's behaviour. `extraFiles` land in the same commit where the
 * branch has nothing at their paths yet: the root pipeline passes the Argo CD
 * Application of an app's first deploy; this action, which has no input for
 * such files, passes none.
 */
async function landDesiredState({ inputs, runtime, context, publish }, extraFiles = [], cloneHeadStart) {
    const target = inputs.path || inputs.source.replace(/\/+$/, '').split('/').at(-1) || inputs.source;
    const result = await runtime.group((0,neutralise/* neutraliseLine */.f)(`Commit ${target} to ${inputs.repository}@${inputs.branch}${inputs['dry-run'] ? ' (dry run)' : ''}`), () => commitToGitops({
        repository: inputs.repository,
        branch: inputs.branch,
        createBranch: inputs['create-branch'],
        token: inputs.token,
        sshKey: inputs['ssh-key'],
        sshKnownHosts: inputs['ssh-known-hosts'],
        source: inputs.source,
        path: inputs.path,
        version: inputs.version,
        message: inputs.message,
        authorName: inputs['author-name'],
        authorEmail: inputs['author-email'],
        mode: inputs.mode,
        prTitle: inputs['pr-title'],
        prLabels: inputs['pr-labels'],
        prBase: inputs['pr-base'],
        autoMerge: inputs['auto-merge'],
        maxAttempts: inputs['max-attempts'],
        allowDowngrade: inputs['allow-downgrade'],
        dryRun: inputs['dry-run'],
        workspace: context.workspace,
        tempDir: context.runnerTemp || (0,external_node_os_.tmpdir)(),
        homeDir: (0,external_node_os_.homedir)(),
        serverUrl: context.serverUrl,
        sourceRepository: context.repository ? `${context.serverUrl}/${context.repository}` : '',
        sourceCommit: context.sha,
        workflowRun: context.repository && context.runId ? `${context.serverUrl}/${context.repository}/actions/runs/${context.runId}` : '',
        extraFiles,
    }, {
        log: (line) => runtime.info((0,neutralise/* neutraliseLine */.f)(line)),
        warning: (line) => runtime.warning((0,neutralise/* neutraliseLine */.f)(line)),
        onSecret: (value) => {
            if (!runtime.secrets.includes(value))
                runtime.setSecret(value);
        },
        pullRequestApi: pullRequestApi(inputs.token, context, runtime),
        ...(cloneHeadStart ? { cloneHeadStart } : {}),
    }));
    publish({
        changed: result.changed,
        'commit-sha': result.commitSha,
        'commit-url': result.commitUrl,
        'pull-request-number': result.pullRequestNumber === undefined ? '' : String(result.pullRequestNumber),
        'pull-request-url': result.pullRequestUrl,
        attempts: result.attempts,
        diff: JSON.stringify(result.diff),
    });
    if (result.patch) {
        const patch = result.patch.length > MAX_LOGGED_PATCH ? `${result.patch.slice(0, MAX_LOGGED_PATCH)}\n… (diff cut at ${MAX_LOGGED_PATCH} characters)` : result.patch;
        await runtime.group('Diff of the desired state', async () => runtime.info((0,neutralise/* neutraliseLines */.U)((0,redact/* redact */.E)(patch, runtime.secrets))));
    }
    await runtime.summary((0,redact/* redact */.E)(commitSummary(result), runtime.secrets));
}
const commitToGitopsAction = (0,run_action/* defineAction */.QP)({
    name: 'commit-to-gitops',
    inputs: COMMIT_INPUTS,
    outputs: COMMIT_OUTPUTS,
    run: (invocation) => landDesiredState(invocation),
});


/***/ })

};
