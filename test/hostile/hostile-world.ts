/**
 * A sandbox world whose objects carry the hostile corpus, a kubeconfig whose context name is
 * hostile, a lesson whose checks and commands quote them, a hostile class and a hostile trace.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import type { Sandbox } from '../../src/sandbox/sandbox.js';
import { toConfigMap, type LearnerProgress } from '../../src/class/progress-record.js';
import { kubectl, sleep } from '../helpers/sandbox.js';
import { ALL_IN_ONE, HOSTILE } from './corpus.js';

export const PODS = 5;
/** A namespace without sidecar injection: the diagnosis of each pod is its condition, its container, its image, then its events. */
export const NS = 'hx';
/** Which pod carries the hostile string i (three events each: what the diagnosis shows per pod). */
export const podOf = (i: number) => `hx-${Math.floor(i / 3)}`;

const rt = (sb: Sandbox, key: string) => sb.types.byKey(key)!;

/** Pods stuck in ImagePullBackOff, each with hostile Warning events, a hostile PodScheduled condition and hostile annotations. */
export async function plantHostileWorld(sb: Sandbox): Promise<void> {
  const pods = rt(sb, '/pods');
  // Through the API with the real kubectl, as anyone with access to the cluster could.
  const ns = await kubectl(sb, ['create', 'namespace', NS]);
  if (ns.code !== 0) throw new Error(`kubectl create namespace: ${ns.stderr}`);
  const items = Array.from({ length: PODS }, (_, k) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: `hx-${k}`, namespace: NS, labels: { app: `hx-${k}` }, annotations: { 'hx/note': ALL_IN_ONE } },
    spec: { containers: [{ name: 'app', image: 'hx:missing' }] },
  }));
  const applied = await kubectl(sb, ['apply', '-f', '-'], { input: JSON.stringify({ apiVersion: 'v1', kind: 'List', items }) });
  if (applied.code !== 0) throw new Error(`kubectl apply: ${applied.stderr}`);
  // Wait until the simulated kubelet has given up on the image (its last transition).
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    const all = sb.store.list(pods, NS).filter((p) => p.metadata.name?.startsWith('hx-'));
    if (all.length === PODS && all.every((p) => JSON.stringify(p.status ?? {}).includes('ImagePullBackOff'))) break;
    await sleep(20);
  }
  const events = rt(sb, '/events');
  HOSTILE.forEach((h, i) => {
    const pod = sb.store.get(pods, NS, podOf(i))!;
    // A minute ahead: the simulated kubelet's own Warning events (ErrImagePull, BackOff) must stay older than
    // these whatever second they land in, or they push a hostile event out of the three the diagnosis shows.
    const now = new Date(Date.now() + 60_000 + i * 1000).toISOString().replace(/\.\d+Z$/, 'Z');
    sb.store.create(events, {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name: `hx-event-${i}`, namespace: NS },
      involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: NS, uid: pod.metadata.uid },
      type: 'Warning',
      reason: `Hostile${i}`,
      message: h.text,
      count: 1,
      firstTimestamp: now,
      lastTimestamp: now,
    });
  });
  for (let k = 0; k < PODS; k++) {
    const pod = sb.store.get(pods, NS, `hx-${k}`)!;
    const status = pod.status as { conditions?: Array<Record<string, unknown>> };
    const conditions = (status.conditions ?? []).filter((c) => c.type !== 'PodScheduled');
    const h = HOSTILE[(k * 3 + 2) % HOSTILE.length];
    sb.store.update(pods, { ...pod, status: { ...status, conditions: [...conditions, { type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: h.text }] } });
  }
}

/** A copy of the sandbox's kubeconfig whose context is named with every hostile string. */
export function hostileKubeconfig(sb: Sandbox, dir: string): { file: string; context: string } {
  const cfg = YAML.parse(readFileSync(sb.kubeconfigPath, 'utf8'));
  // Not the raw C1 string: kubectl's YAML reader refuses a kubeconfig holding one (and so would every command).
  const context = `HXctx ${HOSTILE.filter((h) => !/[\u0080-\u009f]/.test(h.text)).map((h) => h.text).join(' ').slice(0, 600)}`;
  cfg.contexts[0].name = context;
  cfg['current-context'] = context;
  const file = join(dir, 'hostile.kubeconfig');
  writeFileSync(file, YAML.stringify(cfg), { mode: 0o600 });
  return { file, context };
}

/** A lesson (in a fresh folder) whose checks quote the hostile pods, and whose commands print the corpus. */
export function hostileLesson(): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'kt-hostile-lesson-'));
  writeFileSync(join(dir, 'hostile.txt'), HOSTILE.map((h) => h.text).join('\n') + '\n');
  const checks = Array.from({ length: PODS }, (_, k) => `- kind: pods-ready\n  namespace: ${NS}\n  selector: app=hx-${k}`).join('\n');
  const lesson = `---
id: hostile
title: Hostile text
summary: Checks and commands that quote a hostile cluster.
---

## Read the hostile world {#read}

Every check here fails and quotes what the cluster says.

\`\`\`bash
$ cat hostile.txt
\`\`\`

\`\`\`bash
$ kubectl get pod -n ${NS} hx-0 -o jsonpath='{.metadata.annotations.hx/note}'
\`\`\`

\`\`\`check
${checks}
- kind: command
  title: the command check quotes its output
  run: cat hostile.txt; exit 1
\`\`\`
`;
  writeFileSync(join(dir, 'lesson.md'), lesson);
  return { dir, file: join(dir, 'lesson.md') };
}

/** Class records in `namespace` whose learner names, lessons, steps and last failures are hostile. */
export function plantHostileClass(sb: Sandbox, namespace: string): void {
  const cms = rt(sb, '/configmaps');
  const now = new Date().toISOString();
  HOSTILE.forEach((h, i) => {
    const p: LearnerProgress = {
      learner: h.text,
      lesson: 'istio-jaeger',
      current: i % 2 ? 'traffic' : h.text.slice(0, 40),
      currentIndex: 2,
      steps: 5,
      passed: { prerequisites: now },
      lastFailure: `failing: ${h.text}`,
      updatedAt: now,
      stuckSince: new Date(Date.now() - (i + 1) * 60_000).toISOString(),
    };
    const cm = toConfigMap(namespace, p);
    sb.store.create(cms, { ...cm, metadata: { ...cm.metadata, name: `kubetutor-progress-hx-${i}` } });
  });
}

/** A Jaeger API response with one trace: every name, tag, log field and process tag hostile. */
export function hostileTraceFile(dir: string): string {
  const t0 = 1_700_000_000_000_000;
  const tags = HOSTILE.map((h, i) => ({ key: `tag${i} ${h.text}`, type: 'string', value: h.text }));
  const spans = HOSTILE.map((h, i) => ({
    traceID: '0000000000000000000000000000abcd',
    spanID: (i + 1).toString(16).padStart(16, '0'),
    operationName: `op${i} ${h.text}`,
    references: i ? [{ refType: 'CHILD_OF', traceID: '0000000000000000000000000000abcd', spanID: '0000000000000001' }] : [],
    startTime: t0 + i * 1000,
    duration: 50_000 - i * 1000,
    tags: [...tags, { key: 'span.kind', type: 'string', value: i % 2 ? 'client' : 'server' }],
    logs: [{ timestamp: t0 + i * 1000 + 10, fields: [{ key: `event ${h.text}`, type: 'string', value: h.text }] }],
    processID: `p${i % 3}`,
  }));
  const processes = Object.fromEntries([0, 1, 2].map((p) => [`p${p}`, { serviceName: `svc${p} ${HOSTILE[p].text}`, tags: HOSTILE.map((h, i) => ({ key: `ptag${i} ${h.text}`, type: 'string', value: h.text })) }]));
  const file = join(dir, 'hostile-trace.json');
  writeFileSync(file, JSON.stringify({ data: [{ traceID: '0000000000000000000000000000abcd', spans, processes }] }));
  return file;
}
