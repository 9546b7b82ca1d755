#!/usr/bin/env node
// Writes src/sandbox/api/protobuf-schema.ts: the field numbers and types of the built-in kinds
// kubectl's typed clients send as protobuf, for the sandbox's decoder (protobuf-decode.ts).
//
//   node scripts/gen-proto-schema.mjs API_GIT_DIR APIMACHINERY_GIT_DIR [TAG]
//
// API_GIT_DIR / APIMACHINERY_GIT_DIR are git directories of kubernetes/api and
// kubernetes/apimachinery (bare is fine); TAG defaults to v0.33.0. Field numbers and types come
// from each package's generated.proto; whether a Go field is a pointer and whether its JSON tag
// says omitempty come from types.go (that decides if a zero value is kept). Only the messages
// reachable from ROOTS are written. Not part of the build: the output is committed.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [apiDir, machineryDir, tag = 'v0.33.0'] = process.argv.slice(2);
if (!apiDir || !machineryDir) {
  console.error('usage: gen-proto-schema.mjs API_GIT_DIR APIMACHINERY_GIT_DIR [TAG]');
  process.exit(2);
}

const show = (dir, path) => execFileSync('git', ['--git-dir', dir, 'show', `${tag}:${path}`], { encoding: 'utf8', maxBuffer: 64 << 20 });

// package key → [git dir, folder]
const PACKAGES = {
  'meta/v1': [machineryDir, 'pkg/apis/meta/v1'],
  'core/v1': [apiDir, 'core/v1'],
  'apps/v1': [apiDir, 'apps/v1'],
  'batch/v1': [apiDir, 'batch/v1'],
  'rbac/v1': [apiDir, 'rbac/v1'],
  'networking/v1': [apiDir, 'networking/v1'],
  'scheduling/v1': [apiDir, 'scheduling/v1'],
  'policy/v1': [apiDir, 'policy/v1'],
  'authorization/v1': [apiDir, 'authorization/v1'],
  'authentication/v1': [apiDir, 'authentication/v1'],
  'authentication/v1beta1': [apiDir, 'authentication/v1beta1'],
  'authentication/v1alpha1': [apiDir, 'authentication/v1alpha1'],
  'autoscaling/v1': [apiDir, 'autoscaling/v1'],
  'autoscaling/v2': [apiDir, 'autoscaling/v2'],
};
// proto package → package key
const PROTO_PKG = {
  'k8s.io.apimachinery.pkg.apis.meta.v1': 'meta/v1',
  'k8s.io.api.core.v1': 'core/v1',
  'k8s.io.api.apps.v1': 'apps/v1',
  'k8s.io.api.batch.v1': 'batch/v1',
  'k8s.io.api.rbac.v1': 'rbac/v1',
  'k8s.io.api.networking.v1': 'networking/v1',
  'k8s.io.api.scheduling.v1': 'scheduling/v1',
  'k8s.io.api.policy.v1': 'policy/v1',
  'k8s.io.api.authorization.v1': 'authorization/v1',
  'k8s.io.api.authentication.v1': 'authentication/v1',
  'k8s.io.api.authentication.v1beta1': 'authentication/v1beta1',
  'k8s.io.api.authentication.v1alpha1': 'authentication/v1alpha1',
  'k8s.io.api.autoscaling.v1': 'autoscaling/v1',
  'k8s.io.api.autoscaling.v2': 'autoscaling/v2',
};
// Messages with a JSON form of their own (decoded by hand in protobuf-decode.ts).
const SPECIAL = {
  'k8s.io.apimachinery.pkg.apis.meta.v1.Time': 'T',
  'k8s.io.apimachinery.pkg.apis.meta.v1.MicroTime': 'MT',
  'k8s.io.apimachinery.pkg.apis.meta.v1.Duration': 'D',
  'k8s.io.apimachinery.pkg.apis.meta.v1.FieldsV1': 'J',
  'k8s.io.apimachinery.pkg.runtime.RawExtension': 'J',
  'k8s.io.apimachinery.pkg.util.intstr.IntOrString': 'I',
  'k8s.io.apimachinery.pkg.api.resource.Quantity': 'Q',
};
const SCALAR = { string: 's', int32: 'i', int64: 'i', uint32: 'i', uint64: 'i', bool: 'b', bytes: 'y', double: 'f' };

// Roots: apiVersion + kind as the runtime.Unknown envelope names them → message.
const ROOTS = {
  'v1 Namespace': 'core/v1.Namespace', 'v1 ConfigMap': 'core/v1.ConfigMap', 'v1 Secret': 'core/v1.Secret',
  'v1 ServiceAccount': 'core/v1.ServiceAccount', 'v1 Service': 'core/v1.Service', 'v1 Pod': 'core/v1.Pod',
  'v1 ResourceQuota': 'core/v1.ResourceQuota', 'v1 LimitRange': 'core/v1.LimitRange', 'v1 Endpoints': 'core/v1.Endpoints',
  'v1 PersistentVolumeClaim': 'core/v1.PersistentVolumeClaim', 'v1 ReplicationController': 'core/v1.ReplicationController',
  'v1 Event': 'core/v1.Event', 'v1 Binding': 'core/v1.Binding',
  'apps/v1 Deployment': 'apps/v1.Deployment', 'apps/v1 ReplicaSet': 'apps/v1.ReplicaSet',
  'apps/v1 StatefulSet': 'apps/v1.StatefulSet', 'apps/v1 DaemonSet': 'apps/v1.DaemonSet',
  'batch/v1 Job': 'batch/v1.Job', 'batch/v1 CronJob': 'batch/v1.CronJob',
  'rbac.authorization.k8s.io/v1 Role': 'rbac/v1.Role', 'rbac.authorization.k8s.io/v1 RoleBinding': 'rbac/v1.RoleBinding',
  'rbac.authorization.k8s.io/v1 ClusterRole': 'rbac/v1.ClusterRole', 'rbac.authorization.k8s.io/v1 ClusterRoleBinding': 'rbac/v1.ClusterRoleBinding',
  'networking.k8s.io/v1 Ingress': 'networking/v1.Ingress', 'networking.k8s.io/v1 NetworkPolicy': 'networking/v1.NetworkPolicy',
  'scheduling.k8s.io/v1 PriorityClass': 'scheduling/v1.PriorityClass',
  'policy/v1 PodDisruptionBudget': 'policy/v1.PodDisruptionBudget', 'policy/v1 Eviction': 'policy/v1.Eviction',
  'authorization.k8s.io/v1 SelfSubjectAccessReview': 'authorization/v1.SelfSubjectAccessReview',
  'authorization.k8s.io/v1 SelfSubjectRulesReview': 'authorization/v1.SelfSubjectRulesReview',
  'authentication.k8s.io/v1 SelfSubjectReview': 'authentication/v1.SelfSubjectReview',
  'authentication.k8s.io/v1beta1 SelfSubjectReview': 'authentication/v1beta1.SelfSubjectReview',
  'authentication.k8s.io/v1alpha1 SelfSubjectReview': 'authentication/v1alpha1.SelfSubjectReview',
  'authentication.k8s.io/v1 TokenRequest': 'authentication/v1.TokenRequest',
  'autoscaling/v1 Scale': 'autoscaling/v1.Scale',
  'autoscaling/v1 HorizontalPodAutoscaler': 'autoscaling/v1.HorizontalPodAutoscaler',
  'autoscaling/v2 HorizontalPodAutoscaler': 'autoscaling/v2.HorizontalPodAutoscaler',
  'meta/v1 DeleteOptions': 'meta/v1.DeleteOptions',
};

/** proto: package → message → [{num, name, type, rep, map}] */
const protoMessages = new Map();
/** Go: package → struct → num → {pointer, keepZero} */
const goFields = new Map();

for (const [key, [dir, folder]] of Object.entries(PACKAGES)) {
  const proto = show(dir, `${folder}/generated.proto`);
  const msgs = new Map();
  const re = /^message (\w+) \{\n([\s\S]*?)^\}/gm;
  for (const m of proto.matchAll(re)) {
    const fields = [];
    for (const line of m[2].split('\n')) {
      const t = line.trim();
      let f = t.match(/^(optional|repeated) ([\w.]+) (\w+) = (\d+);/);
      if (f) { fields.push({ num: Number(f[4]), name: f[3], type: f[2], rep: f[1] === 'repeated' }); continue; }
      f = t.match(/^map<(\w+), ([\w.]+)> (\w+) = (\d+);/);
      if (f) fields.push({ num: Number(f[4]), name: f[3], type: f[2], map: true });
    }
    msgs.set(m[1], fields);
  }
  protoMessages.set(key, msgs);

  const go = show(dir, `${folder}/types.go`);
  const structs = new Map();
  for (const m of go.matchAll(/^type (\w+) struct \{\n([\s\S]*?)^\}/gm)) {
    const byNum = new Map();
    for (const line of m[2].split('\n')) {
      // `Name Type \`tags\`` or an embedded `Type \`tags\`` (inlined in JSON).
      const f = line.match(/^\s*\w+\s+(\S+)\s+`(.*)`/) ?? line.match(/^\s*(\*?[\w.]+)\s+`(.*)`/);
      if (!f) continue;
      const pb = f[2].match(/protobuf:"\w+,(\d+),/);
      const json = f[2].match(/json:"([^"]*)"/);
      if (!pb || !json) continue;
      byNum.set(Number(pb[1]), { pointer: f[1].startsWith('*'), omitempty: json[1].split(',').includes('omitempty'), jsonName: json[1].split(',')[0] || '...' });
    }
    structs.set(m[1], byNum);
  }
  goFields.set(key, structs);
}

function resolve(type, pkg) {
  if (SCALAR[type]) return { code: SCALAR[type] };
  const protoPkg = Object.entries(PROTO_PKG).find(([, k]) => k === pkg)[0];
  const full = type.startsWith('.') ? type.slice(1) : `${protoPkg}.${type}`;
  if (full && SPECIAL[full]) return { code: SPECIAL[full] };
  const i = full.lastIndexOf('.');
  const p = PROTO_PKG[full.slice(0, i)];
  if (!p) throw new Error(`no package for ${full}`);
  return { ref: `${p}.${full.slice(i + 1)}` };
}

const out = new Map();
const queue = [...new Set(Object.values(ROOTS))];
while (queue.length) {
  const ref = queue.shift();
  if (out.has(ref)) continue;
  const i = ref.lastIndexOf('.');
  const pkg = ref.slice(0, i), name = ref.slice(i + 1);
  const fields = protoMessages.get(pkg)?.get(name);
  if (!fields) throw new Error(`no message ${ref}`);
  const go = goFields.get(pkg)?.get(name) ?? new Map();
  const parts = [];
  for (const f of fields) {
    const r = resolve(f.type, pkg);
    if (r.ref) queue.push(r.ref);
    const t = r.code ?? r.ref;
    const g = go.get(f.num);
    if (!g && process.env.DEBUG) console.error(`no Go field for ${ref} ${f.num} ${f.name}`);
    const jsonName = g?.jsonName || f.name;
    // Keep a zero value when Go holds a pointer (set means set) or JSON has no omitempty.
    const keep = g ? g.pointer || !g.omitempty : false;
    const spec = f.map ? `{${t}}` : f.rep ? `[${t}]` : t;
    parts.push(`${f.num} ${jsonName} ${spec}${keep && !f.map && !f.rep && !r.ref ? '!' : ''}`);
  }
  out.set(ref, parts.join(';'));
}

const lines = [...out.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `  '${k}': '${v}',`);
const roots = Object.entries(ROOTS).map(([k, v]) => `  '${k}': '${v}',`);
const text = `// Generated by scripts/gen-proto-schema.mjs from kubernetes/api and kubernetes/apimachinery ${tag}
// (field numbers and types from generated.proto; pointer and omitempty from types.go). Do not edit.
//
// Each message is 'NUM jsonName TYPE;…'. TYPE: s string, i integer, b bool, y bytes (base64 in JSON),
// f double, T Time, MT MicroTime, D Duration, J raw JSON (RawExtension, FieldsV1), I IntOrString,
// Q Quantity, or another message; [X] repeated, {X} map<string, X>. A field named ... is inlined
// (its fields are the parent's in JSON). A trailing ! keeps a zero value
// (a Go pointer, or a JSON field without omitempty); other zero scalars are dropped, as JSON would.

/** apiVersion + ' ' + kind → message. */
export const PROTOBUF_ROOTS: Readonly<Record<string, string>> = {
${roots.join('\n')}
};

/** message → its fields. */
export const PROTOBUF_MESSAGES: Readonly<Record<string, string>> = {
${lines.join('\n')}
};
`;
writeFileSync(new URL('../src/sandbox/api/protobuf-schema.ts', import.meta.url), text);
console.log(`${out.size} messages`);
