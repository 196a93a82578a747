import type { ArgoCdClient } from './argocd-client.js';
import { ManifestAnswerError, manifestDifferences, manifestSet, sameManifests, type ManifestSet } from './manifest-equivalence.js';

/**
 * Whether a commit Argo CD reports instead of ours carries the same desired
 * state for the Application. A GitOps repo is shared: when another app's
 * commit lands on the branch after ours and before Argo CD looks, Argo CD
 * resolves the branch to that commit and never reports ours, although ours
 * is what it syncs for this Application. Argo CD's own manifests at both
 * commits say so, with nothing but its URL and token.
 *
 * Every commit's manifests are fetched once and every verdict is kept; a
 * request that fails is not remembered, so the next poll asks again.
 */

export type Equivalence =
  | { state: 'same' }
  | { state: 'different'; differences: string[] }
  /** Not known yet: a manifests request failed or its answer was unusable. */
  | { state: 'unknown'; problem: string };

type Fetched = { ok: true; set: ManifestSet } | { ok: false; problem: string };

export class RevisionEquivalence {
  private readonly sets = new Map<string, ManifestSet>();
  private readonly verdicts = new Map<string, Equivalence>();

  constructor(
    private readonly client: Pick<ArgoCdClient, 'getManifests'>,
    private readonly target: { application: string; ours: string; project?: string },
  ) {}

  /** Whether an earlier comparison found `revision` to have our manifests. */
  isSame(revision: string): boolean {
    return this.verdicts.get(revision)?.state === 'same';
  }

  async compare(revision: string): Promise<Equivalence> {
    const known = this.verdicts.get(revision);
    if (known) return known;
    const ours = await this.manifests(this.target.ours);
    if (!ours.ok) return { state: 'unknown', problem: `the manifests at ${this.target.ours.slice(0, 12)}: ${ours.problem}` };
    const theirs = await this.manifests(revision);
    if (!theirs.ok) return { state: 'unknown', problem: `the manifests at ${revision.slice(0, 12)}: ${theirs.problem}` };
    const verdict: Equivalence = sameManifests(ours.set, theirs.set)
      ? { state: 'same' }
      : { state: 'different', differences: manifestDifferences(ours.set, theirs.set, revision.slice(0, 12)) };
    this.verdicts.set(revision, verdict);
    return verdict;
  }

  private async manifests(revision: string): Promise<Fetched> {
    const cached = this.sets.get(revision);
    if (cached) return { ok: true, set: cached };
    const answer = await this.client.getManifests(this.target.application, {
      revision,
      ...(this.target.project ? { project: this.target.project } : {}),
    });
    if (!answer.ok) return { ok: false, problem: answer.problem };
    try {
      const set = manifestSet(answer.body, revision);
      this.sets.set(revision, set);
      return { ok: true, set };
    } catch (error) {
      if (error instanceof ManifestAnswerError) return { ok: false, problem: error.message };
      throw error;
    }
  }
}
