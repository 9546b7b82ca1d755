/**
 * istio.io pages as lessons: converts a Hugo page in istio.io's format (YAML
 * front matter, `{{< text bash >}}` blocks with `$ ` prompts, `{{< image >}}`,
 * `{{< warning >}}`/`{{< tip >}}`/`{{< idea >}}` boxes, `## ` headings) into
 * kubetutor's lesson Markdown (docs/lesson-format.md). Pure over the text.
 */

import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseLesson, slugify } from './parse.js';
import type { Lesson } from './types.js';

const SHORTCODE_HINT_RE = /\{\{<\s*(text\s|image[\s>]|warning\s*>|tip\s*>|idea\s*>)/;

/** True when the text uses istio.io's Hugo shortcodes (text, image, warning/tip/idea boxes). */
export function isHugoPage(text: string): boolean {
  return SHORTCODE_HINT_RE.test(text);
}

/** Converts a Hugo page and parses the result as a lesson (throws `LessonError` like `parseLesson`). */
export function hugoToLesson(text: string, file: string): Lesson {
  return parseLesson(hugoToLessonMarkdown(text, file), file);
}

const PLACEHOLDER = [
  '<!-- check: TODO(author): what must be true after this step? Replace this comment',
  'with a fenced "check" block (no fences here: the parser would take it as a real check), e.g.',
  '    - kind: pods-ready',
  '      namespace: default',
  '      selector: app=example',
  '-->',
];

/**
 * The converted lesson plus, at the end of each step, a placeholder for its
 * checks. The parser refuses an empty (all-comment) `check` block, so the
 * placeholder is an HTML comment the author turns into a real check block.
 */
export function importSkeleton(text: string, file: string): string {
  const md = hugoToLessonMarkdown(text, file);
  const lines = md.split('\n');
  const out: string[] = [];
  let inStep = false;
  let fence: string | null = null;
  const addPlaceholder = () => {
    while (out.length > 0 && out[out.length - 1].trim() === '') out.pop();
    out.push('', ...PLACEHOLDER, '');
  };
  for (const line of lines) {
    if (fence) {
      if (line.trim() === fence) fence = null;
      out.push(line);
      continue;
    }
    const f = /^\s*(`{3,}|~{3,})/.exec(line);
    if (f) {
      fence = f[1];
      out.push(line);
      continue;
    }
    if (/^## /.test(line)) {
      if (inStep) addPlaceholder();
      inStep = true;
    }
    out.push(line);
  }
  if (inStep) addPlaceholder();
  return out.join('\n').replace(/\n*$/, '\n');
}

// ---------------------------------------------------------------------------

interface Front { title: string; description: string; body: string[] }

function splitFrontMatter(lines: string[]): Front {
  const out: Front = { title: '', description: '', body: lines };
  if (lines[0]?.trimEnd() !== '---') return out;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l));
  if (close < 0) return out;
  out.body = lines.slice(close + 1);
  try {
    const y = parseYaml(lines.slice(1, close).join('\n')) as Record<string, unknown> | null;
    if (y && typeof y === 'object') {
      if (typeof y.title === 'string') out.title = y.title.trim();
      if (typeof y.description === 'string') out.description = y.description.trim();
    }
  } catch {
    // Broken front matter: the parser will say what is missing.
  }
  return out;
}

/** `key="value"` (or `key='value'`, `key=value`) attributes of a shortcode. */
function shortcodeAttrs(s: string): { positional: string[]; named: Record<string, string> } {
  const positional: string[] = [];
  const named: Record<string, string> = {};
  const re = /(?:([A-Za-z_][\w-]*)=)?(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|([^\s"']+))/g;
  for (const m of s.matchAll(re)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    if (m[1]) named[m[1]] = value.replace(/\\"/g, '"');
    else positional.push(value);
  }
  return { positional, named };
}

const HEREDOC_RE = /(?<!<)<<(?!<)(-?)[ \t]*(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;

/** The `$ ` commands of a shell block (continuations and heredocs included); output lines dropped. */
function shellCommands(content: string[]): string[][] {
  const cmds: string[][] = [];
  let cur: string[] | null = null;
  let continued = false;
  let heredocs: Array<{ word: string; tabs: boolean }> = [];
  const finish = () => {
    if (cur) cmds.push(cur);
    cur = null;
    continued = false;
    heredocs = [];
  };
  for (const raw of content) {
    const line = raw.trimEnd();
    if (cur && heredocs.length > 0) {
      cur.push(line);
      const body = heredocs[0].tabs ? line.replace(/^\t+/, '') : line;
      if (body === heredocs[0].word) heredocs.shift();
      if (heredocs.length === 0 && !continued) finish();
      continue;
    }
    if (cur && continued) {
      cur.push(line);
      continued = line.endsWith('\\');
      heredocs.push(...[...line.matchAll(HEREDOC_RE)].map((m) => ({ word: m[3], tabs: m[1] === '-' })));
      if (!continued && heredocs.length === 0) finish();
      continue;
    }
    finish();
    if (!/^\$(\s|$)/.test(line)) continue; // output (or a blank line)
    cur = [line];
    continued = line.endsWith('\\');
    heredocs = [...line.matchAll(HEREDOC_RE)].map((m) => ({ word: m[3], tabs: m[1] === '-' }));
    if (!continued && heredocs.length === 0) finish();
  }
  finish();
  return cmds;
}

const SHELL_LANGS = new Set(['bash', 'sh', 'shell']);
const BOX_LABEL: Record<string, string> = { warning: 'Warning', tip: 'Tip', idea: 'Idea' };

/** Converts a Hugo page (istio.io format) to kubetutor lesson Markdown. */
export function hugoToLessonMarkdown(text: string, file: string): string {
  const all = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const front = splitFrontMatter(all);
  const id = slugify(path.basename(file).replace(/\.[^.]*$/, '')) || 'lesson';
  const out: string[] = [];
  const stepIds = new Set<string>();
  let step = '';
  let bgCount = 0;
  let usesKubectl = false;
  let box: string | null = null; // inside a warning/tip/idea: lines get a "> " prefix
  let boxFirst = false;

  const emit = (line: string) => {
    if (box === null) { out.push(line); return; }
    if (boxFirst && line.trim() !== '') {
      out.push(`> **${BOX_LABEL[box]}:** ${line.trim()}`);
      boxFirst = false;
    } else if (!boxFirst) out.push(line.trim() === '' ? '>' : `> ${line}`);
  };

  const lines = front.body;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    const indent = /^\s*/.exec(line)![0];

    // {{< text LANG >}} … {{< /text >}}
    const textOpen = /^\s*\{\{<\s*text\s+(.*?)\s*>\}\}\s*$/.exec(line);
    if (textOpen) {
      const { positional, named } = shortcodeAttrs(textOpen[1]);
      const lang = (named.syntax ?? positional[0] ?? 'text').toLowerCase();
      let close = i + 1;
      while (close < lines.length && !/^\s*\{\{<\s*\/text\s*>\}\}\s*$/.test(lines[close])) close++;
      const content = lines.slice(i + 1, close).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l.trimStart()));
      i = close + 1;
      if (SHELL_LANGS.has(lang) && content.some((l) => /^\$(\s|$)/.test(l))) {
        for (const cmd of shellCommands(content)) {
          if (/^\$\s+kubectl(\s|$)/.test(cmd[0])) usesKubectl = true;
          const last = cmd.length - 1;
          const bg = step !== '' && cmd.length === 1 && /\s&$/.test(cmd[last]);
          if (bg) {
            bgCount++;
            emit(`${indent}\`\`\`bash {background name=${step}-bg-${bgCount}}`);
            emit(`${indent}${cmd[0].replace(/\s*&$/, '')}`);
          } else {
            emit(`${indent}\`\`\`bash`);
            for (const l of cmd) emit(`${indent}${l}`);
          }
          emit(`${indent}\`\`\``);
          emit('');
        }
        if (out.length > 0 && out[out.length - 1] === '' && box === null) out.pop();
      } else {
        const fenceLang = lang === 'plain' || lang === 'none' ? 'text' : lang;
        const ticks = content.some((l) => /^\s*```/.test(l)) ? '````' : '```';
        emit(`${indent}${ticks}${fenceLang}`);
        for (const l of content) emit(l === '' ? '' : `${indent}${l}`);
        emit(`${indent}${ticks}`);
      }
      continue;
    }

    // {{< image … >}} (possibly over several lines)
    if (/^\s*\{\{<\s*image\b/.test(line)) {
      let src = line;
      while (!src.includes('>}}') && i + 1 < lines.length) src += ' ' + lines[++i].trim();
      i++;
      const m = /\{\{<\s*image\b(.*?)>\}\}/.exec(src);
      const { named } = shortcodeAttrs(m ? m[1] : '');
      const caption = named.caption ?? named.title ?? named.alt ?? 'image';
      const link = named.link ?? named.src ?? '';
      // A picture the terminal cannot show: a Markdown image, which the runner shows as its caption and file.
      emit(`${indent}![${caption.replace(/[[\]]/g, '\\$&')}](${link.replace(/[()\s]/g, (c) => encodeURIComponent(c))})`);
      continue;
    }

    // Boxes.
    const boxOpen = /^\s*\{\{<\s*(warning|tip|idea)\s*>\}\}\s*(.*)$/.exec(line);
    if (boxOpen && box === null) {
      box = boxOpen[1];
      boxFirst = true;
      i++;
      const rest = boxOpen[2].replace(/\{\{<\s*\/(warning|tip|idea)\s*>\}\}\s*$/, '');
      if (rest.trim() !== '') emit(rest);
      if (/\{\{<\s*\/(warning|tip|idea)\s*>\}\}/.test(boxOpen[2])) box = null;
      continue;
    }
    const boxClose = /^(.*?)\{\{<\s*\/(warning|tip|idea)\s*>\}\}\s*$/.exec(line);
    if (boxClose && box !== null) {
      if (boxClose[1].trim() !== '') emit(boxClose[1]);
      while (out.length > 0 && out[out.length - 1] === '>') out.pop();
      box = null;
      i++;
      continue;
    }

    // Headings: `## ` starts a step.
    const h2 = /^##\s+(.*?)\s*$/.exec(line);
    if (h2 && box === null) {
      let title = h2[1].replace(/\s+#+$/, '');
      const explicit = /\{#([^}]*)\}\s*$/.exec(title);
      if (explicit) title = title.slice(0, explicit.index).trim();
      let sid = slugify(explicit ? explicit[1] : title) || `step-${stepIds.size + 1}`;
      for (let n = 2; stepIds.has(sid); n++) sid = `${slugify(explicit ? explicit[1] : title) || 'step'}-${n}`;
      stepIds.add(sid);
      step = sid;
      bgCount = 0;
      out.push(`## ${title} {#${sid}}`);
      i++;
      continue;
    }

    // Other single-line shortcodes (boilerplate, comments…): dropped.
    if (/^\s*\{\{[<%].*[>%]\}\}\s*$/.test(line)) {
      i++;
      continue;
    }
    emit(line);
    i++;
  }

  const title = front.title || id;
  const head = ['---', `id: ${id}`, `title: ${JSON.stringify(title)}`];
  if (front.description) head.push(`summary: ${JSON.stringify(front.description)}`);
  if (usesKubectl) head.push('requires: [kubectl]');
  head.push('---', '');
  const body = out.join('\n').replace(/\n{3,}/g, '\n\n').replace(/^\n+/, '').replace(/\n*$/, '\n');
  return head.join('\n') + body;
}
