/**
 * no-leftovers: nothing the lesson's manifests create is still in the
 * cluster. `gather` reads the manifests (multi-document YAML, relative to the
 * lesson folder) and asks the cluster for each object they name; `judge`
 * lists what is still there.
 */
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ClusterError } from '../../cluster/kube-client.js';
import { failed, listing, passed, readObject, requireCluster, shellWord } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

/** The kinds checked unless the check names its own. */
export const DEFAULT_LEFTOVER_KINDS = ['Deployment', 'Service', 'Gateway', 'VirtualService'];

export interface ManifestObject {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** The manifest it came from, as the check names it. */
  file: string;
}

export interface LeftoverFacts {
  /** Objects of the checked kinds that the manifests create. */
  checked: ManifestObject[];
  /** Those still in the cluster. */
  leftovers: Array<ManifestObject & { deleting?: boolean }>;
  /** Kinds the cluster does not serve at all (their objects cannot be left). */
  missingKinds: string[];
}

type NoLeftoversCheck = CheckOf<'no-leftovers'>;

/** The objects `text` (a multi-document manifest) creates; `List` items included. Throws on broken YAML. */
export function manifestObjects(text: string, file: string, defaultNamespace: string): ManifestObject[] {
  const out: ManifestObject[] = [];
  const add = (o: unknown) => {
    if (!o || typeof o !== 'object') return;
    const obj = o as { apiVersion?: unknown; kind?: unknown; metadata?: { name?: unknown; namespace?: unknown }; items?: unknown };
    if (typeof obj.kind === 'string' && /List$/.test(obj.kind) && Array.isArray(obj.items)) {
      obj.items.forEach(add);
      return;
    }
    const name = obj.metadata?.name;
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string' || typeof name !== 'string' || !name) return;
    const ns = obj.metadata?.namespace;
    out.push({ apiVersion: obj.apiVersion, kind: obj.kind, namespace: typeof ns === 'string' && ns ? ns : defaultNamespace, name, file });
  };
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length) throw new Error(t('kinds.left.notYaml', { file, why: doc.errors[0].message.split('\n')[0] }));
    add(doc.toJS({ maxAliasCount: 100 }));
  }
  return out;
}

/** `deployment/productpage-v1`, with the namespace when it is not the check's. */
function refOf(o: ManifestObject, namespace: string): string {
  return `${o.kind.toLowerCase()}/${o.name}${o.namespace !== namespace ? t('kinds.left.in', { namespace: o.namespace }) : ''}`;
}

/** `deployments`, `ingresses`. */
function kindPlural(kind: string): string {
  const k = kind.toLowerCase();
  return /(s|x|ch|sh)$/.test(k) ? `${k}es` : k.endsWith('y') && !/[aeiou]y$/.test(k) ? `${k.slice(0, -1)}ies` : `${k}s`;
}

export const noLeftoversCheck: CheckKindModule<NoLeftoversCheck, LeftoverFacts> = {
  kind: 'no-leftovers',
  async gather(check, env) {
    const cluster = requireCluster(env);
    const namespace = check.namespace ?? 'default';
    const kinds = new Set((check.kinds ?? DEFAULT_LEFTOVER_KINDS).map((k) => k.toLowerCase()));
    const objects: ManifestObject[] = [];
    for (const file of check.files) {
      let text: string;
      try {
        text = await readFile(resolve(env.cwd, file), 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(t('kinds.left.cannotRead', { file, dir: env.cwd, why: code === 'ENOENT' ? t('file.noSuch') : (e as Error).message }));
      }
      objects.push(...manifestObjects(text, file, namespace));
    }
    const seen = new Set<string>();
    const checked = objects.filter((o) => {
      const id = `${o.apiVersion}|${o.kind}|${o.namespace}|${o.name}`;
      if (!kinds.has(o.kind.toLowerCase()) || seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    const missingKinds = new Set<string>();
    const found = await Promise.all(
      checked.map(async (o) => {
        try {
          const live = readObject(cluster, await cluster.get(o.apiVersion, o.kind, o.namespace, o.name), `get ${o.kind} ${o.name} in namespace ${o.namespace}`);
          return live ? { ...o, ...(live.metadata.deletionTimestamp ? { deleting: true } : {}) } : undefined;
        } catch (e) {
          if (e instanceof ClusterError && e.kind === 'not-found-kind') {
            missingKinds.add(`${o.kind} (${o.apiVersion})`);
            return undefined;
          }
          throw e;
        }
      }),
    );
    return { checked, leftovers: found.filter((o): o is NonNullable<typeof o> => !!o), missingKinds: [...missingKinds] };
  },
  judge(check, facts) {
    const namespace = check.namespace ?? 'default';
    const files = check.files.join(', ');
    if (facts.checked.length === 0) {
      const kinds = check.kinds ?? DEFAULT_LEFTOVER_KINDS;
      return failed(check, t('kinds.left.nothingToCheck', { files, kinds: kinds.join(', ') }), {
        diagnosis: [t('kinds.left.listThem')],
      });
    }
    if (facts.leftovers.length === 0) {
      const gone = facts.missingKinds.length ? t('kinds.left.noKind', { kinds: facts.missingKinds.join(', ') }) : '';
      return passed(t('kinds.left.nothingLeft', { files, count: facts.checked.length, gone }));
    }
    const refs = facts.leftovers.map((o) => refOf(o, namespace) + (o.deleting ? t('kinds.left.deleting') : ''));
    // One line: every object when there are few, else a count per kind (a kind with one object keeps its name).
    const byKind = new Map<string, string[]>();
    facts.leftovers.forEach((o, i) => byKind.set(o.kind, [...(byKind.get(o.kind) ?? []), refs[i]]));
    const gist = refs.length <= 6 ? refs : [...byKind].map(([kind, rs]) => (rs.length === 1 ? rs[0] : t('kinds.left.kindCount', { count: rs.length, kinds: kindPlural(kind) })));
    const deleting = facts.leftovers.filter((o) => o.deleting).length;
    const nsFlag = namespace !== 'default' ? ` -n ${shellWord(namespace)}` : '';
    const remaining = [...new Set(facts.leftovers.map((o) => o.file))];
    return failed(check, t('kinds.left.stillThere', { list: gist.join(', ') }), {
      expected: t('kinds.left.expected', { count: facts.checked.length, files }),
      found: t('kinds.left.found', { count: facts.leftovers.length, list: listing(refs, 50) }),
      diagnosis: [
        deleting === facts.leftovers.length
          ? t('kinds.left.beingDeleted', { count: deleting })
          : t('kinds.left.deleteThem', { command: `kubectl delete --ignore-not-found${nsFlag} ${remaining.map((f) => `-f ${shellWord(f)}`).join(' ')}` }),
      ],
    });
  },
};
