/**
 * Malformed lessons, generated deterministically from the bundled lesson: each case is the
 * lesson with one (or a few) things broken, as bytes, and what the loader must do with it —
 * refuse it at a known line, load it, or either (random damage that may leave it valid).
 */

/** mulberry32: a small seeded PRNG, so every run tries the same 1,000 files. */
export function rng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    /** An integer in [lo, hi]. */
    between: (lo: number, hi: number) => lo + int(hi - lo + 1),
    pick: <T>(xs: readonly T[]): T => xs[int(xs.length)],
    bytes: (n: number) => {
      const b = Buffer.alloc(n);
      for (let i = 0; i < n; i++) b[i] = int(256);
      return b;
    },
  };
}
export type Rng = ReturnType<typeof rng>;

export interface LessonCase {
  id: number;
  /** The mutation (for figures and failure messages). */
  kind: string;
  bytes: Buffer;
  /** refuse: must be refused; load: must load; either: random damage. */
  expect: 'refuse' | 'load' | 'either';
  /** When refused, some problem must name a line in [lo, hi] (1-based, in the mutated file). */
  lines?: [number, number];
}

interface Fence { open: number; close: number; lang: string }
interface CheckItem { line: number; kind: string; params: Array<{ key: string; line: number }> }

/** The lesson's structure, 0-based line indexes. */
interface Shape {
  lines: string[];
  fmClose: number;
  fences: Fence[];
  headings: number[];
  items: Array<CheckItem & { fence: Fence }>;
}

function shapeOf(text: string): Shape {
  const lines = text.split('\n');
  const fmClose = lines.indexOf('---', 1);
  const fences: Fence[] = [];
  const headings: number[] = [];
  for (let i = fmClose + 1; i < lines.length; i++) {
    const m = /^(`{3,})(.*)$/.exec(lines[i]);
    if (m) {
      let close = i + 1;
      while (close < lines.length && lines[close] !== m[1]) close++;
      fences.push({ open: i, close, lang: m[2].trim().split(/[\s{]/)[0] });
      i = close;
      continue;
    }
    if (lines[i].startsWith('## ')) headings.push(i);
  }
  const items: Shape['items'] = [];
  for (const f of fences.filter((x) => x.lang === 'check')) {
    for (let i = f.open + 1; i < f.close; i++) {
      const m = /^- kind: (\S+)/.exec(lines[i]);
      if (!m) continue;
      const item = { line: i, kind: m[1], params: [] as CheckItem['params'], fence: f };
      for (let j = i + 1; j < f.close && /^ {2}\S/.test(lines[j]); j++) {
        const k = /^ {2}([A-Za-z]+):/.exec(lines[j]);
        if (k) item.params.push({ key: k[1], line: j });
      }
      items.push(item);
    }
  }
  return { lines, fmClose, fences, headings, items };
}

const REQUIRED: Record<string, string[]> = {
  namespace: ['name'],
  'pods-ready': ['namespace', 'selector'],
  'container-present': ['namespace', 'selector', 'container'],
  service: ['namespace', 'name'],
  resource: ['apiVersion', 'resourceKind'],
  'port-open': ['port'],
  'port-closed': ['port'],
  http: ['url'],
  'jaeger-traces': ['url', 'service'],
  process: ['name', 'state'],
  quiz: ['question', 'options', 'answer'],
  command: ['run'],
  'no-leftovers': ['files'],
};

/** Values of the wrong type (or out of range) for each parameter the bundled lesson uses. */
const BAD_VALUES: Record<string, string[]> = {
  name: ['42', '[a, b]', '{a: b}', '""', 'null', 'true'],
  namespace: ['7', '[default]', '{ns: default}', 'null'],
  selector: ['{app: jaeger}', '[app=jaeger]', '"app in ((x"', '42', '"a b c"'],
  container: ['[istio-proxy]', '3', '{c: d}'],
  labels: ['[istio-injection]', '"istio-injection=enabled"', '{a: {b: c}}', '{"bad key!": x}', '42'],
  port: ['"15032"', '0', '70000', '15032.5', '[15032]', 'abc', '-1'],
  status: ['"200"', '99', 'ok', '600', '[200]'],
  min: ['-1', '"1"', '1.5', 'many', '{n: 1}'],
  url: ['42', '[http://x]', '{u: v}', '""'],
  contains: ['123', '[Jaeger]', '{a: b}'],
  service: ['3', '[productpage]', '""'],
  sinceLessonStart: ['"yes"', '1', 'maybe'],
  state: ['running-ish', '1', '[stopped]', 'true'],
  files: ['bookinfo.yaml', '[]', '[1, 2]', '{f: x}', '[""]'],
  title: ['42', '[a]', '{t: x}'],
  hint: ['[a, b]', '12', '{h: i}'],
  apiVersion: ['1', '[v1]'],
  resourceKind: ['{k: Gateway}', '9'],
  answer: ['-1', '"1"', '9', '1.5'],
  options: ['just one', '[only]', '[1, {a: b}]', '{a: b}'],
  question: ['[q]', '5'],
  focus: ['[a, b]', '7'],
  run: ['[curl]', '5', '{r: x}'],
};

const BROKEN_YAML_LINES = [
  'title: "unclosed quote',
  'summary: [a, b',
  'requires: {kubectl',
  '   bad: indentation',
  '\tid: tab-indented',
  '- a list item in a mapping',
  'key: value: another',
  '*undefined-alias',
  'title: @reserved',
  "summary: 'single unclosed",
  '? [complex, key]',
  'title: |\n  block\n bad dedent: x',
];

const BROKEN_CHECK_LINES = [
  '  name: "unclosed quote',
  '- kind: [namespace',
  '  labels: {a: b',
  '\t- kind: namespace',
  '    : no key',
  ' name: bad-indent',
  '  selector: app=x: y',
  '  *undefined-alias',
  '  title: @reserved',
  "- kind: 'unclosed",
  '  options: [a, b',
  '- kind: namespace\n  name: x\n  name: y',
];

const TYPO_KINDS = ['pods-redy', 'namespce', 'Deployment-Available', 'port-opened', 'jaeger', 'http-get', 'kubectl', '""', '42', '[pods-ready]', '{kind: x}', 'ｐｏｄｓ'];
const UNKNOWN_PARAMS = ['timeout', 'namspace', 'selectors', 'retries', 'lables', 'expect', 'portt', 'wait', 'description'];
const UNKNOWN_FM_KEYS = ['auhtor', 'titel', 'version', 'tags', 'ids', 'summery', 'requirements', 'draft'];
const BAD_UTF8 = [[0xc3], [0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xf8, 0x88, 0x80, 0x80, 0x80], [0x80], [0xfe, 0xfe]];

/** Lines of `text`, as the loader counts them (LF ends a line; CRLF is one break). */
export function lineCount(bytes: Buffer): number {
  let n = 1;
  for (const b of bytes) if (b === 0x0a) n++;
  return n;
}

/** 1-based line of byte offset `at`. */
function lineAt(bytes: Buffer, at: number): number {
  let n = 1;
  for (let i = 0; i < at && i < bytes.length; i++) if (bytes[i] === 0x0a) n++;
  return n;
}

type Draft = Omit<LessonCase, 'id'>;
type Mutation = (r: Rng, s: Shape) => Draft;

const text = (lines: string[]) => Buffer.from(lines.join('\n'), 'utf8');
/** `lines` with `insert` spliced in at 0-based `at` (replacing `remove` lines). */
const splice = (lines: string[], at: number, remove: number, ...insert: string[]) =>
  // (concat, not splice(...spread): the huge cases insert more lines than a call takes arguments)
  lines.slice(0, at).concat(insert.flatMap((l) => l.split('\n')), lines.slice(at + remove));

const FM_KEYS = ['id', 'title', 'summary', 'requires'];
const FM_BAD: Record<string, string[]> = {
  id: ['Istio Jaeger', '12', '[a]', 'istio_jaeger', '""', '{a: b}', '-leading'],
  title: ['42', '[a, b]', '{x: 1}', '""', 'null', 'true', '3.14'],
  summary: ['[1, 2]', '{a: b}', '3', 'false'],
  requires: ['kubectl', '[1, 2]', '{a: b}', '[""]', '42'],
};

const mutations: Record<string, { weight: number; make: Mutation }> = {
  'fm-wrong-type': {
    weight: 50,
    make: (r, s) => {
      const key = r.pick(FM_KEYS);
      const at = s.lines.findIndex((l, i) => i < s.fmClose && l.startsWith(`${key}:`));
      return { kind: 'fm-wrong-type', bytes: text(splice(s.lines, at, 1, `${key}: ${r.pick(FM_BAD[key])}`)), expect: 'refuse', lines: [at + 1, at + 1] };
    },
  },
  'fm-unknown-field': {
    weight: 25,
    make: (r, s) => {
      const at = r.between(1, s.fmClose);
      return { kind: 'fm-unknown-field', bytes: text(splice(s.lines, at, 0, `${r.pick(UNKNOWN_FM_KEYS)}: something`)), expect: 'refuse', lines: [at + 1, at + 1] };
    },
  },
  'fm-missing-field': {
    weight: 15,
    make: (r, s) => {
      const key = r.pick(['id', 'title']);
      const at = s.lines.findIndex((l, i) => i < s.fmClose && l.startsWith(`${key}:`));
      return { kind: 'fm-missing-field', bytes: text(splice(s.lines, at, 1)), expect: 'refuse', lines: [1, 1] };
    },
  },
  'fm-broken-yaml': {
    weight: 40,
    make: (r, s) => {
      const at = r.between(1, s.fmClose);
      const replace = at < s.fmClose && r.next() < 0.5 ? 1 : 0;
      const bad = r.pick(BROKEN_YAML_LINES);
      const lines = splice(s.lines, at, replace, bad);
      const close = lines.indexOf('---', 1);
      return { kind: 'fm-broken-yaml', bytes: text(lines), expect: 'refuse', lines: [2, close + 1] };
    },
  },
  'fm-fences': {
    weight: 10,
    make: (r, s) => {
      const open = r.next() < 0.5;
      return { kind: open ? 'fm-no-opening' : 'fm-unclosed', bytes: text(splice(s.lines, open ? 0 : s.fmClose, 1)), expect: 'refuse', lines: [1, 1] };
    },
  },
  'check-broken-yaml': {
    weight: 60,
    make: (r, s) => {
      const f = r.pick(s.fences.filter((x) => x.lang === 'check'));
      const at = r.between(f.open + 1, f.close);
      const bad = r.pick(BROKEN_CHECK_LINES);
      const lines = splice(s.lines, at, 0, bad);
      const close = f.close + bad.split('\n').length;
      return { kind: 'check-broken-yaml', bytes: text(lines), expect: 'refuse', lines: [f.open + 1, close + 1] };
    },
  },
  'check-wrong-type': {
    weight: 80,
    make: (r, s) => {
      const item = r.pick(s.items.filter((i) => i.params.some((p) => BAD_VALUES[p.key])));
      const p = r.pick(item.params.filter((x) => BAD_VALUES[x.key]));
      const lines = splice(s.lines, p.line, 1, `  ${p.key}: ${r.pick(BAD_VALUES[p.key])}`);
      // A multi-line value (a list under `options:`) left behind is still part of the same item.
      let end = p.line + 1;
      while (end < lines.length && /^ {4}/.test(lines[end])) end++;
      const removeRest = end - (p.line + 1);
      return { kind: 'check-wrong-type', bytes: text(splice(lines, p.line + 1, removeRest)), expect: 'refuse', lines: [p.line + 1, p.line + 1] };
    },
  },
  'checks-not-a-list': {
    weight: 20,
    make: (r, s) => {
      const f = r.pick(s.fences.filter((x) => x.lang === 'check'));
      const body = r.pick([['kind: namespace', 'name: default'], ['just some text'], ['42'], ['"a string"'], ['{kind: namespace, name: x}']]);
      const lines = splice(s.lines, f.open + 1, f.close - f.open - 1, ...body);
      return { kind: 'checks-not-a-list', bytes: text(lines), expect: 'refuse', lines: [f.open + 1, f.open + 1 + body.length] };
    },
  },
  'check-item-not-a-map': {
    weight: 15,
    make: (r, s) => {
      const f = r.pick(s.fences.filter((x) => x.lang === 'check'));
      const lines = splice(s.lines, f.close, 0, r.pick(['- 42', '- [a, b]', '- just text', '- null', '- - nested']));
      return { kind: 'check-item-not-a-map', bytes: text(lines), expect: 'refuse', lines: [f.close + 1, f.close + 1] };
    },
  },
  'empty-check-block': {
    weight: 8,
    make: (r, s) => {
      const f = r.pick(s.fences.filter((x) => x.lang === 'check'));
      const lines = splice(s.lines, f.open + 1, f.close - f.open - 1, ...(r.next() < 0.5 ? [] : ['# only a comment']));
      return { kind: 'empty-check-block', bytes: text(lines), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
    },
  },
  'unknown-kind': {
    weight: 45,
    make: (r, s) => {
      const item = r.pick(s.items);
      return { kind: 'unknown-kind', bytes: text(splice(s.lines, item.line, 1, `- kind: ${r.pick(TYPO_KINDS)}`)), expect: 'refuse', lines: [item.line + 1, item.line + 1] };
    },
  },
  'missing-kind': {
    weight: 10,
    make: (r, s) => {
      const item = r.pick(s.items.filter((i) => i.params.length > 0));
      const lines = splice(s.lines, item.line, 1, `- ${s.lines[item.params[0].line].trim()}`);
      return { kind: 'missing-kind', bytes: text(splice(lines, item.params[0].line, 1)), expect: 'refuse', lines: [item.line + 1, item.line + 1] };
    },
  },
  'unknown-param': {
    weight: 40,
    make: (r, s) => {
      const item = r.pick(s.items);
      const at = item.line + 1;
      return { kind: 'unknown-param', bytes: text(splice(s.lines, at, 0, `  ${r.pick(UNKNOWN_PARAMS)}: 5`)), expect: 'refuse', lines: [at + 1, at + 1] };
    },
  },
  'missing-required': {
    weight: 40,
    make: (r, s) => {
      const item = r.pick(s.items.filter((i) => (REQUIRED[i.kind] ?? []).some((k) => i.params.some((p) => p.key === k))));
      const key = r.pick(REQUIRED[item.kind].filter((k) => item.params.some((p) => p.key === k)));
      const p = item.params.find((x) => x.key === key)!;
      let end = p.line + 1;
      while (end < s.lines.length && /^ {4}/.test(s.lines[end])) end++;
      return { kind: 'missing-required', bytes: text(splice(s.lines, p.line, end - p.line)), expect: 'refuse', lines: [item.line + 1, item.line + 1] };
    },
  },
  'duplicate-step-id': {
    weight: 30,
    make: (r, s) => {
      const j = r.between(1, s.headings.length - 1);
      const i = r.int(j);
      const id = /\{#([^}]+)\}/.exec(s.lines[s.headings[i]])![1];
      const line = s.lines[s.headings[j]].replace(/\{#[^}]+\}/, `{#${id}}`);
      return { kind: 'duplicate-step-id', bytes: text(splice(s.lines, s.headings[j], 1, line)), expect: 'refuse', lines: [s.headings[j] + 1, s.headings[j] + 1] };
    },
  },
  'bad-heading': {
    weight: 15,
    make: (r, s) => {
      const h = r.pick(s.headings);
      const bad = r.pick(['## {#Bad_Id}', '## Title {#UPPER}', '## {#ok-id}', '##', '## Spaces {# a b }', '## Ünïcode {#ü}']);
      return { kind: 'bad-heading', bytes: text(splice(s.lines, h, 1, bad)), expect: 'refuse', lines: [h + 1, h + 1] };
    },
  },
  'unterminated-fence': {
    weight: 30,
    make: (r, s) => {
      if (r.next() < 0.5) {
        // The last block loses its closing line: nothing can close it.
        const f = s.fences[s.fences.length - 1];
        return { kind: 'unterminated-fence', bytes: text(splice(s.lines, f.close, 1)), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
      }
      // The file ends inside a block.
      const f = r.pick(s.fences);
      const cut = r.between(f.open, f.close - 1);
      return { kind: 'unterminated-fence', bytes: text(s.lines.slice(0, cut + 1)), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
    },
  },
  'lost-fence': {
    weight: 15,
    make: (r, s) => {
      const f = r.pick(s.fences);
      return { kind: 'lost-fence', bytes: text(splice(s.lines, f.close, 1)), expect: 'either' };
    },
  },
  'bad-hint-or-solution': {
    weight: 30,
    make: (r, s) => {
      const variant = r.int(6);
      const f = r.pick(s.fences.filter((x) => x.lang === (variant < 2 ? 'hint' : 'solution')));
      if (variant === 0) return { kind: 'empty-hint', bytes: text(splice(s.lines, f.open + 1, f.close - f.open - 1)), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
      if (variant === 1) return { kind: 'hint-attrs', bytes: text(splice(s.lines, f.open, 1, '```hint {collapsed}')), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
      if (variant === 2) return { kind: 'solution-no-commands', bytes: text(splice(s.lines, f.open + 1, f.close - f.open - 1, '# nothing to run')), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
      if (variant === 3) return { kind: 'solution-attrs', bytes: text(splice(s.lines, f.open, 1, '```solution {background}')), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
      if (variant === 4) {
        // YAML where commands go: a solution runs each line as a command, so this still loads.
        return { kind: 'solution-yaml', bytes: text(splice(s.lines, f.open + 1, 0, '- kind: namespace', '  name: "unclosed')), expect: 'load' };
      }
      // A check or hint before the first step.
      const at = s.headings[0] - 1;
      return { kind: 'block-in-intro', bytes: text(splice(s.lines, at, 0, r.pick(['```hint', '```check']), 'text', '```')), expect: 'refuse', lines: [at + 1, at + 1] };
    },
  },
  'bad-command-attrs': {
    weight: 20,
    make: (r, s) => {
      const f = r.pick(s.fences.filter((x) => x.lang === 'bash'));
      const attrs = r.pick(['{background port=abc}', '{port=15032}', '{background name=}', '{background port=99999}', '{colour=red}', '{background=maybe}', '{name=bad/name}', '{background name=jaeger-forward port=15032} extra']);
      return { kind: 'bad-command-attrs', bytes: text(splice(s.lines, f.open, 1, `\`\`\`bash ${attrs}`)), expect: 'refuse', lines: [f.open + 1, f.open + 1] };
    },
  },
  'unknown-process': {
    weight: 8,
    make: (r, s) => {
      const f = s.fences.filter((x) => x.lang === 'check')[r.int(2)];
      return { kind: 'unknown-process', bytes: text(splice(s.lines, f.close, 0, '- kind: process', '  name: no-such-forward', '  state: running')), expect: 'refuse', lines: [f.close + 2, f.close + 2] };
    },
  },
  truncation: {
    weight: 60,
    make: (r, s) => {
      const b = text(s.lines);
      return { kind: 'truncation', bytes: b.subarray(0, r.int(b.length)), expect: 'either' };
    },
  },
  'byte-flips': {
    weight: 80,
    make: (r, s) => {
      const b = Buffer.from(text(s.lines));
      const n = r.between(1, 24);
      for (let k = 0; k < n; k++) b[r.int(b.length)] = r.int(256);
      return { kind: 'byte-flips', bytes: b, expect: 'either' };
    },
  },
  'nul-bytes': {
    weight: 30,
    make: (r, s) => {
      const b = text(s.lines);
      const at = r.int(b.length);
      const n = r.between(1, 4);
      return { kind: 'nul-bytes', bytes: Buffer.concat([b.subarray(0, at), Buffer.alloc(n), b.subarray(at)]), expect: 'refuse', lines: [lineAt(b, at), lineAt(b, at)] };
    },
  },
  'binary-junk': {
    weight: 40,
    make: (r, s) => {
      const b = text(s.lines);
      const v = r.int(4);
      if (v === 0) {
        const at = r.int(b.length);
        return { kind: 'binary-junk-span', bytes: Buffer.concat([b.subarray(0, at), r.bytes(r.between(16, 4096)), b.subarray(at + r.int(2000))]), expect: 'either' };
      }
      if (v === 1) return { kind: 'binary-junk-file', bytes: r.bytes(r.between(1, 65536)), expect: 'refuse' };
      if (v === 2) {
        const magic = r.pick([[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], [0x1f, 0x8b, 0x08, 0x00], [0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01], [0x50, 0x4b, 0x03, 0x04]]);
        return { kind: 'binary-magic', bytes: Buffer.concat([Buffer.from(magic), r.bytes(r.between(0, 8192))]), expect: 'refuse', lines: [1, 1] };
      }
      const empty = r.pick(['', '\uFEFF', '   \n\n\t\n', '\n']);
      return { kind: 'empty-file', bytes: Buffer.from(empty, 'utf8'), expect: 'refuse', lines: [1, 1] };
    },
  },
  'invalid-utf8': {
    weight: 40,
    make: (r, s) => {
      const at = r.int(s.lines.length);
      const line = s.lines[at];
      const col = r.int(line.length + 1);
      const before = Buffer.from([...s.lines.slice(0, at), line.slice(0, col)].join('\n'), 'utf8');
      const after = Buffer.from([line.slice(col), ...s.lines.slice(at + 1)].join('\n'), 'utf8');
      return { kind: 'invalid-utf8', bytes: Buffer.concat([before, Buffer.from(r.pick(BAD_UTF8)), after]), expect: 'refuse', lines: [at + 1, at + 1] };
    },
  },
  crlf: {
    weight: 30,
    make: (r, s) => {
      // Windows line endings, alone (the lesson still loads) or over another targeted mutation.
      if (r.next() < 0.5) return { kind: 'crlf', bytes: Buffer.from(s.lines.join('\r\n'), 'utf8'), expect: 'load' };
      const inner = r.pick(['fm-wrong-type', 'unknown-kind', 'check-wrong-type', 'duplicate-step-id', 'missing-required', 'unknown-param'] as const);
      const d = mutations[inner].make(r, s);
      return { ...d, kind: `crlf+${inner}`, bytes: Buffer.from(d.bytes.toString('utf8').replace(/\n/g, '\r\n'), 'utf8') };
    },
  },
  pathological: {
    weight: 20,
    make: (r, s) => {
      const f = r.pick(s.fences.filter((x) => x.lang === 'check'));
      const v = r.int(6);
      if (v === 0) {
        // Deeply nested flow collections.
        const depth = r.between(2000, 20000);
        return { kind: 'deep-yaml', bytes: text(splice(s.lines, f.close, 0, `- kind: ${'['.repeat(depth)}${']'.repeat(depth)}`)), expect: 'refuse', lines: [f.open + 1, f.close + 1] };
      }
      if (v === 1) {
        // An alias bomb ("billion laughs").
        const bomb = ['- kind: namespace', '  name: &a0 x', ...Array.from({ length: 12 }, (_, i) => `  p${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)];
        return { kind: 'alias-bomb', bytes: text(splice(s.lines, f.close, 0, ...bomb)), expect: 'refuse', lines: [f.close + 1, f.close + bomb.length] };
      }
      if (v === 2) {
        const bomb = ['a: &a0 [x, x, x, x, x, x, x, x]', ...Array.from({ length: 12 }, (_, i) => `b${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)];
        return { kind: 'alias-bomb-front-matter', bytes: text(splice(s.lines, s.fmClose, 0, ...bomb)), expect: 'refuse', lines: [2, s.fmClose + bomb.length + 1] };
      }
      if (v === 3) {
        const h = r.pick(s.headings);
        return { kind: 'long-heading', bytes: text(splice(s.lines, h, 1, `## Title${' \t'.repeat(r.between(20000, 60000))}x {#x`)), expect: 'either' };
      }
      if (v === 4) {
        const h = r.pick(s.headings);
        // No closing brace: an odd title, not an id, so this loads.
        return { kind: 'brace-heading', bytes: text(splice(s.lines, h, 1, `## T ${'{#'.repeat(r.between(20000, 60000))}`)), expect: 'load' };
      }
      // A long key and value: messages stay one short line.
      const item = r.pick(s.items);
      return { kind: 'long-values', bytes: text(splice(s.lines, item.line + 1, 0, `  ${'k'.repeat(r.between(5000, 50000))}: ${'v'.repeat(r.between(5000, 50000))}`)), expect: 'refuse', lines: [item.line + 2, item.line + 2] };
    },
  },
  combined: {
    weight: 50,
    make: (r, s) => {
      // Several line-level mutations in a row (each on the previous one's result when it still parses as a shape).
      let cur = s;
      let bytes = text(s.lines);
      const kinds: string[] = [];
      const n = r.between(2, 4);
      for (let k = 0; k < n; k++) {
        const name = r.pick(['fm-wrong-type', 'check-wrong-type', 'unknown-kind', 'unknown-param', 'duplicate-step-id', 'byte-flips', 'check-broken-yaml', 'missing-required'] as const);
        try {
          const d = mutations[name].make(r, cur);
          bytes = Buffer.from(d.bytes);
          cur = shapeOf(bytes.toString('utf8'));
          kinds.push(name);
        } catch {
          /* the shape no longer has what this mutation needs */
        }
      }
      return { kind: `combined(${kinds.join('+')})`, bytes, expect: 'either' };
    },
  },
};

/** A few lessons of several MB. */
function hugeCases(r: Rng, s: Shape): Draft[] {
  const out: Draft[] = [];
  const body = s.lines.slice(s.fmClose + 1);
  // 1. Hundreds of steps (valid): the body repeated, each copy's ids and process names renamed.
  let copies: string[] = [];
  let size = 0;
  for (let n = 1; size < 3_000_000; n++) {
    const copy = body.map((l) => l.replace(/\{#([a-z-]+)\}/, `{#$1-${n}}`).replace(/name=(jaeger-[a-z-]+)/, `name=$1-${n}`));
    copies = copies.concat(copy);
    size += copy.join('\n').length;
  }
  // The copies' process checks name "*", and their headings have unique ids, so this loads.
  out.push({ kind: 'huge-many-steps', bytes: text([...s.lines.slice(0, s.fmClose + 1), ...copies]), expect: 'load' });
  // 2. A 4 MB hint.
  const hint = s.fences.find((f) => f.lang === 'hint')!;
  const filler = Array.from({ length: 60_000 }, (_, i) => `line ${i} of a very long hint, with **bold** and \`code\` in it.`);
  out.push({ kind: 'huge-hint', bytes: text(splice(s.lines, hint.close, 0, ...filler)), expect: 'load' });
  // 3. A check block of 40,000 items, one of them broken near the end: the line is exact.
  const check = s.fences.find((f) => f.lang === 'check')!;
  const items: string[] = [];
  for (let i = 0; i < 40_000; i++) items.push('- kind: namespace', `  name: ns-${i}`);
  const badAt = items.length - 2 * r.between(1, 50);
  items.splice(badAt, 2, '- kind: namespace', '  name: [not, a, string]');
  const lines3 = splice(s.lines, check.close, 0, ...items);
  out.push({ kind: 'huge-check-block', bytes: text(lines3), expect: 'refuse', lines: [check.close + badAt + 2, check.close + badAt + 2] });
  // 4. One line of 4 MB in the introduction (text only: it loads).
  out.push({ kind: 'huge-line', bytes: text(splice(s.lines, s.fmClose + 2, 0, 'word '.repeat(800_000))), expect: 'load' });
  // 5. 3 MB of random bytes.
  out.push({ kind: 'huge-binary', bytes: r.bytes(3_000_000), expect: 'refuse' });
  // 6. A 2 MB front matter value, then a broken key after it.
  const long = ['summary: >', ...Array.from({ length: 30_000 }, () => '  a long folded summary line that goes on and on'), 'titel: typo'];
  out.push({ kind: 'huge-front-matter', bytes: text(splice(s.lines, 3, 1, ...long)), expect: 'refuse', lines: [4 + long.length - 1, 4 + long.length - 1] });
  return out;
}

/** `count` malformed lessons from `base` (the bundled lesson's text), the same ones every run for a seed. */
export function generateLessons(base: string, count: number, seed = 8): LessonCase[] {
  const r = rng(seed);
  const s = shapeOf(base);
  const drafts: Draft[] = hugeCases(r, s);
  const table = Object.values(mutations);
  const total = table.reduce((a, m) => a + m.weight, 0);
  while (drafts.length < count) {
    let x = r.int(total);
    const m = table.find((t) => (x -= t.weight) < 0)!;
    drafts.push(m.make(r, s));
  }
  return drafts.map((d, id) => ({ id, ...d }));
}

export { lineAt };
