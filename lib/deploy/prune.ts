import type { EnvironmentFacts } from './environment-facts';
import { EXIT, stop } from './exit-codes';
import type { Kubectl } from './kubectl';

/** A live object of the environment that the manifests no longer define. */
export interface RemovedObject {
  /** As `kubectl get -o name` prints it. */
  readonly name: string;
  /** Kept because a ReplicaSet, ControllerRevision, Job, CronJob or pod still references it (rollback). */
  readonly keep: boolean;
}

/**
 * The environment's live objects (its labels, its namespace, the prune kinds) that the manifests no
 * longer define. kubectl's own `--prune` is not used: it deletes only objects carrying the
 * client-side last-applied annotation, which server-side apply does not write, so it would silently
 * prune nothing.
 */
export async function removedObjects(kubectl: Kubectl, facts: EnvironmentFacts): Promise<RemovedObject[]> {
  const live = await kubectl.run(['get', facts.pruneTypes.join(','), '--selector', facts.selector, '-o', 'name']);
  if (live.status !== 0) {
    process.stderr.write(live.stderr);
    stop(EXIT.failed, `cannot list the objects of ${facts.selector} to prune (kubectl above)`);
  }
  const defined = new Set(facts.objectNames);
  const keptTypes = facts.keptWhileReferencedTypes.map((t) => `${t}/`);
  let references: string | undefined;
  const removed: RemovedObject[] = [];
  for (const name of live.stdout.split(/\s+/).filter(Boolean)) {
    if (defined.has(name)) continue;
    let keep = false;
    if (keptTypes.some((t) => name.startsWith(t))) {
      if (references === undefined) {
        const listed = await kubectl.run(['get', 'replicasets,controllerrevisions,jobs,cronjobs,pods', '-o', 'json']);
        if (listed.status !== 0) {
          process.stderr.write(listed.stderr);
          stop(EXIT.failed, 'cannot list what references the old ConfigMaps (kubectl above)');
        }
        references = listed.stdout;
      }
      keep = references.includes(JSON.stringify(name.slice(name.indexOf('/') + 1)));
    }
    removed.push({ name, keep });
  }
  return removed;
}
