/** The message catalog (src/i18n/): every language complete, the language chosen as POSIX orders the locale, lesson translations. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CATALOGS, LANGUAGES, chooseLanguage, languageOf, placeholders, setLanguage, t, takeLangFlag, tIn, type MessageKey } from '../../src/i18n/index.js';
import { format } from '../../src/i18n/catalog.js';
import { en } from '../../src/i18n/en.js';
import { bundledLessonsDir, findLessons, loadLesson } from '../../src/lesson/load.js';
import { parseLesson } from '../../src/lesson/parse.js';
import { translationProblems } from '../../src/lesson/translations.js';
import { lintTranslation } from '../../src/authoring/lint.js';

/** Messages that read the same in Chinese: names and symbols only. */
const SAME_IN_EVERY_LANGUAGE = new Set<MessageKey>(['era.1.0', 'era.1.1', 'cli.systemError', 'test.stepBad']);

describe('the catalog', () => {
  const keys = Object.keys(en) as MessageKey[];
  for (const lang of LANGUAGES.filter((l) => l !== 'en')) {
    test(`${lang} has every English message, with the same placeholders, in its own words`, () => {
      const cat = CATALOGS[lang];
      const missing = keys.filter((k) => typeof cat[k] !== 'string' && typeof cat[k] !== 'object');
      expect(missing, `untranslated in ${lang}`).toEqual([]);
      expect(Object.keys(cat).filter((k) => !(k in en)), `keys English does not have`).toEqual([]);
      const problems: string[] = [];
      for (const k of keys) {
        if (placeholders(cat[k]).join() !== placeholders(en[k]).join()) problems.push(`${k}: placeholders ${placeholders(cat[k])} (English: ${placeholders(en[k])})`);
        if (!SAME_IN_EVERY_LANGUAGE.has(k) && JSON.stringify(cat[k]) === JSON.stringify(en[k])) problems.push(`${k}: still the English text`);
        // A Chinese message that keeps an English word of the runner's is a leak too (names, flags, commands and placeholders aside).
        const text = JSON.stringify(cat[k]).replace(/"(?:zero|one|two|few|many|other)":/g, '').replace(/\{\w+\}/g, '').replace(/`[^`]*`/g, '').replace(/--?[\w-]+/g, '').replace(/\$\w+/g, '');
        const words = (text.match(/\b[a-z]{4,}\b/g) ?? []).filter((w) => !ALLOWED_LATIN.has(w));
        if (words.length) problems.push(`${k}: English words ${words.join(' ')}`);
      }
      expect(problems).toEqual([]);
    });
  }

  test('parameters are put in, plurals chosen by count (Intl.PluralRules)', () => {
    setLanguage('en');
    expect(t('plain.stepPassed', { n: 3 })).toBe('✓ step 3 passed');
    expect(tIn('zh-CN', 'plain.stepPassed', { n: 3 })).toBe('✓ 第 3 步通过');
    const m = { one: '{count} trace', other: '{count} traces' };
    expect(format(m, 'en', { count: 1 })).toBe('1 trace');
    expect(format(m, 'en', { count: 0 })).toBe('0 traces');
    expect(format(m, 'en', { count: 2 })).toBe('2 traces');
    expect(format({ other: '{count} 条' }, 'zh-CN', { count: 1 })).toBe('1 条');
    // The space beside a name is no space beside full-width punctuation, in the message or the name.
    expect(format('适用于 {cluster} 的命令', 'zh-CN', { cluster: 'Istio 1.1（预发布）' })).toBe('适用于 Istio 1.1（预发布）的命令');
    expect(format('找不到 {what} 了', 'zh-CN', { what: '“x”' })).toBe('找不到“x”了');
    expect(format('找不到 {what} 了', 'zh-CN', { what: 'Deployment x' })).toBe('找不到 Deployment x 了');
    // Braces around other text stay as they are.
    expect(t('opt.checkJson')).toContain('[{step, check, ok, summary, diagnosis}]');
  });
});

/** Lowercase Latin words a Chinese message may hold: names of things, and what the learner types. */
const ALLOWED_LATIN = new Set(['kubetutor', 'kubectl', 'istio', 'jaeger', 'kubeconfig', 'sandbox', 'context', 'help', 'lessons', 'lesson', 'json', 'step', 'check', 'summary', 'diagnosis', 'command', 'fresh', 'modern', 'ready', 'suite', 'junit', 'trace', 'span', 'asciicast', 'asciinema', 'play', 'file', 'class', 'scenarios', 'scenario', 'service', 'operation', 'group', 'count', 'total', 'self', 'selfshare', 'critical', 'resourcespans', 'localhost', 'http', 'https', 'productpage', 'gateway', 'deployment', 'istiod', 'pilot', 'system', 'plain', 'auto', 'local', 'port', 'cleanup', 'start', 'list', 'test', 'lint', 'import', 'traces', 'traffic', 'otlp', 'posix', 'lang', 'xdg', 'state', 'home', 'kube', 'config', 'jaeger', 'yaml', 'json', 'xml', 'dashboard', 'server', 'name', 'trust', 'version', 'eras', 'step', 'leftovers', 'shell', 'export', 'reviews', 'ratings']);

describe('choosing the language', () => {
  test('locale names and tags', () => {
    for (const l of ['zh_CN.UTF-8', 'zh-Hans', 'zh', 'zh-CN', 'zh_SG.gb2312', 'zh-Hans-CN', 'ZH_cn.utf8']) expect(languageOf(l), l).toBe('zh-CN');
    for (const l of ['C', 'POSIX', 'C.UTF-8', 'en_US.UTF-8', 'en', 'en-GB']) expect(languageOf(l), l).toBe('en');
    for (const l of ['zh_TW.UTF-8', 'zh-Hant', 'fr_FR.UTF-8', 'de', '']) expect(languageOf(l), l).toBeUndefined();
  });

  test('--lang, then LC_ALL, LC_MESSAGES, LANG (the first one set decides), then English', () => {
    const env = { LC_ALL: 'zh_CN.UTF-8', LC_MESSAGES: 'en_US.UTF-8', LANG: 'en_US.UTF-8' };
    expect(chooseLanguage('en', env)).toEqual({ lang: 'en', source: '--lang' });
    expect(chooseLanguage(undefined, env)).toEqual({ lang: 'zh-CN', source: 'LC_ALL' });
    expect(chooseLanguage(undefined, { ...env, LC_ALL: '' })).toEqual({ lang: 'en', source: 'LC_MESSAGES' });
    expect(chooseLanguage(undefined, { LANG: 'zh_CN.UTF-8' })).toEqual({ lang: 'zh-CN', source: 'LANG' });
    expect(chooseLanguage(undefined, { LC_ALL: 'C', LANG: 'zh_CN.UTF-8' })).toEqual({ lang: 'en', source: 'LC_ALL' });
    expect(chooseLanguage(undefined, { LC_ALL: 'fr_FR.UTF-8', LANG: 'zh_CN.UTF-8' })).toEqual({ lang: 'en', source: 'LC_ALL' });
    expect(chooseLanguage(undefined, {})).toEqual({ lang: 'en', source: 'default' });
    expect(chooseLanguage('fr', {}).lang).toBeUndefined();
  });

  test('--lang is taken out of any command line, up to --', () => {
    expect(takeLangFlag(['list', '--lang', 'zh'])).toEqual({ rest: ['list'], lang: 'zh' });
    expect(takeLangFlag(['--lang=zh-CN', 'test', 'x'])).toEqual({ rest: ['test', 'x'], lang: 'zh-CN' });
    expect(takeLangFlag(['start', '--', '--lang', 'zh'])).toEqual({ rest: ['start', '--', '--lang', 'zh'], lang: undefined });
    expect(takeLangFlag(['list', '--lang']).missingValue).toBe(true);
  });
});

describe('lesson translations', () => {
  const dir = join(bundledLessonsDir(), 'istio-jaeger');
  const original = readFileSync(join(dir, 'lesson.md'), 'utf8');
  const zh = readFileSync(join(dir, 'lesson.zh.md'), 'utf8');

  test('the Chinese Jaeger lesson: the same steps, checks and forwards as the English one, its own words', async () => {
    const a = await loadLesson('istio-jaeger', [], 'en');
    const b = await loadLesson('istio-jaeger', [], 'zh-CN');
    expect(b.file).toBe(join(dir, 'lesson.zh.md'));
    expect(b.lang).toBe('zh-CN');
    expect(b.title).toBe('使用 Jaeger 进行分布式追踪');
    expect(b.steps.map((s) => s.id)).toEqual(a.steps.map((s) => s.id));
    expect(b.steps.map((s) => s.checks.length)).toEqual(a.steps.map((s) => s.checks.length));
    expect(b.steps.map((s) => s.solution.map((c) => c.run))).toEqual(a.steps.map((s) => s.solution.map((c) => c.run)));
    expect(translationProblems(a, b)).toEqual([]);
    // Every era block of the original is there.
    const blocks = (text: string) => [...text.matchAll(/^(::: when .*|```\w+ \{.*\})$/gm)].map((m) => m[1]);
    expect(blocks(zh)).toEqual(blocks(original));
    // No English sentence of the original is left in the prose.
    const sentences = original.split('\n').filter((l) => /^[A-Z][a-z]+ [a-z]+ [a-z]+ [a-z]+/.test(l));
    for (const s of sentences) expect(zh, s).not.toContain(s);
    const listed = (await findLessons([bundledLessonsDir()], 'zh-CN')).find((l) => l.id === 'istio-jaeger')!;
    expect(listed.languages).toEqual(['en', 'zh-CN']);
    expect(listed.title).toBe(b.title);
  });

  test('a translation whose steps or checks differ is refused at its file:line, naming the original', () => {
    const file = join(dir, 'lesson.zh.md');
    const at = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;
    const changedCheck = zh.replace('name: reviews-v3', 'name: reviews-v4');
    const f1 = lintTranslation({ text: original, file: join(dir, 'lesson.md') }, { text: changedCheck, file });
    expect(f1).toEqual([expect.objectContaining({ file, severity: 'error', line: at(changedCheck, 'name: reviews-v4') - 2, message: expect.stringMatching(/^check 7 of step "prerequisites" differs from lesson\.md:\d+: name is "reviews-v4" here, "reviews-v3" there$/) })]);
    const renamedStep = zh.replace('## 清理 {#cleanup}', '## 清理 {#tidy}');
    const f2 = translationProblems(parseLesson(original, join(dir, 'lesson.md')), parseLesson(renamedStep, file));
    expect(f2).toEqual([expect.objectContaining({ line: at(renamedStep, '{#tidy}'), message: expect.stringContaining('same ids in the same order') })]);
    const lostCheck = zh.replace(/- kind: trace-opened[\s\S]*?hint: [^\n]*\n/, '');
    const f3 = translationProblems(parseLesson(original, join(dir, 'lesson.md')), parseLesson(lostCheck, file));
    expect(f3[0].message).toMatch(/^step "traces" has 6 checks here and 7 in lesson\.md/);
    const otherForward = zh.replace('background name=jaeger-forward-pod port=15032', 'background name=jaeger-forward-pod port=15033');
    expect(translationProblems(parseLesson(original, join(dir, 'lesson.md')), parseLesson(otherForward, file))[0].message).toMatch(/background commands/);
    const otherAnswer = zh.replace(/answer: 2/, 'answer: 3');
    expect(translationProblems(parseLesson(original, join(dir, 'lesson.md')), parseLesson(otherAnswer, file))[0].message).toMatch(/answer is 3 here, 2 there/);
  });
});
