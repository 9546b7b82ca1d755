import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledLessonsDir, findLessons, loadLesson } from '../../src/lesson/load.js';
import { LessonError } from '../../src/lesson/types.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FIXTURES = path.join(ROOT, 'test/fixtures/lessons');

const lessonText = (id: string, title: string) => `---\nid: ${id}\ntitle: ${title}\nsummary: About ${id}.\n---\n\n## Only step\n\nRead this.\n`;

/** What a loader call throws. */
async function rejection(p: Promise<unknown>): Promise<Error & { userError?: boolean }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { userError?: boolean };
  }
  throw new Error('expected a rejection');
}

let tmp: string;
let extra: string;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), 'kubetutor-lessons-'));
  extra = path.join(tmp, 'extra');
  await mkdir(path.join(extra, 'alpha'), { recursive: true });
  await writeFile(path.join(extra, 'alpha', 'lesson.md'), lessonText('alpha', 'Alpha lesson'));
  // The folder name differs from the id in the front matter.
  await mkdir(path.join(extra, 'folder-b'), { recursive: true });
  await writeFile(path.join(extra, 'folder-b', 'lesson.md'), lessonText('beta', 'Beta lesson'));
  // Shadows the fixture lesson of the same id.
  await mkdir(path.join(extra, 'sample'), { recursive: true });
  await writeFile(path.join(extra, 'sample', 'lesson.md'), lessonText('sample', 'Sample from extra'));
  // Not lessons: a folder without lesson.md, and a plain file.
  await mkdir(path.join(extra, 'notes'), { recursive: true });
  await writeFile(path.join(extra, 'README.md'), '# not a lesson\n');
  await writeFile(path.join(tmp, 'loose.md'), lessonText('loose', 'A loose file'));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('bundledLessonsDir', () => {
  it('is the lessons folder at the package root', () => {
    expect(bundledLessonsDir()).toBe(path.join(ROOT, 'lessons'));
  });
});

describe('findLessons', () => {
  it('lists each subfolder with a lesson.md, in folder order, with title and summary', async () => {
    const found = await findLessons([extra]);
    expect(found).toEqual([
      { id: 'alpha', title: 'Alpha lesson', summary: 'About alpha.', file: path.join(extra, 'alpha', 'lesson.md'), languages: ['en'] },
      { id: 'beta', title: 'Beta lesson', summary: 'About beta.', file: path.join(extra, 'folder-b', 'lesson.md'), languages: ['en'] },
      { id: 'sample', title: 'Sample from extra', summary: 'About sample.', file: path.join(extra, 'sample', 'lesson.md'), languages: ['en'] },
    ]);
  });

  it('lists a broken lesson with its error instead of throwing', async () => {
    const found = await findLessons([FIXTURES]);
    const broken = found.find((l) => l.id === 'broken-kind');
    expect(broken).toMatchObject({ id: 'broken-kind', title: '', summary: '', file: path.join(FIXTURES, 'broken-kind', 'lesson.md') });
    expect(broken?.error).toMatch(/^.*broken-kind\/lesson\.md:12: unknown check kind "pod-ready"/);
    const sample = found.find((l) => l.id === 'sample');
    expect(sample).toEqual({ id: 'sample', title: 'A sample lesson', summary: 'Deploy a tiny app, reach it, and trace it.', file: path.join(FIXTURES, 'sample', 'lesson.md'), languages: ['en'] });
  });

  it('skips folders that do not exist and lets an earlier folder win on a repeated id', async () => {
    const found = await findLessons([path.join(tmp, 'missing'), extra, FIXTURES]);
    const samples = found.filter((l) => l.id === 'sample');
    expect(samples).toHaveLength(1);
    expect(samples[0].title).toBe('Sample from extra');
    expect(found.map((l) => l.id)).toContain('broken-yaml');
  });
});

describe('loadLesson', () => {
  it('finds a lesson by id in the extra folders, by folder name or by front-matter id', async () => {
    expect((await loadLesson('alpha', [extra])).title).toBe('Alpha lesson');
    const beta = await loadLesson('beta', [extra]);
    expect(beta.file).toBe(path.join(extra, 'folder-b', 'lesson.md'));
    expect(beta.dir).toBe(path.join(extra, 'folder-b'));
  });

  it('searches the extra folders in order before the bundled lessons', async () => {
    expect((await loadLesson('sample', [path.join(tmp, 'missing'), extra, FIXTURES])).title).toBe('Sample from extra');
    expect((await loadLesson('sample', [FIXTURES, extra])).title).toBe('A sample lesson');
  });

  it('loads a folder holding lesson.md, or a .md file, by path', async () => {
    const byFolder = await loadLesson(path.join(FIXTURES, 'sample'));
    expect(byFolder.id).toBe('sample');
    expect(byFolder.file).toBe(path.join(FIXTURES, 'sample', 'lesson.md'));
    const byFile = await loadLesson(path.join(tmp, 'loose.md'));
    expect(byFile.id).toBe('loose');
    expect(byFile.dir).toBe(tmp);
  });

  it('resolves a relative path against the working directory', async () => {
    const lesson = await loadLesson(path.relative(process.cwd(), path.join(FIXTURES, 'sample', 'lesson.md')));
    expect(lesson.file).toBe(path.join(FIXTURES, 'sample', 'lesson.md'));
  });

  it('throws a user error listing the lessons found for an unknown id', async () => {
    const err = await rejection(loadLesson('nope', [extra]));
    expect(err.userError).toBe(true);
    expect(err.message).toMatch(/^unknown lesson "nope" \(lessons found: alpha, beta, sample(, [a-z0-9-]+(?: \(broken\))?)*\)$/);
  });

  it('marks broken lessons in the list of lessons found', async () => {
    const err = await rejection(loadLesson('nope', [FIXTURES]));
    expect(err.message).toContain('broken-duplicate (broken), broken-front-matter (broken)');
    expect(err.message).toContain('sample');
  });

  it('says where it looked when there are no lessons at all', async () => {
    const empty = path.join(tmp, 'empty');
    await mkdir(empty, { recursive: true });
    const err = await rejection(loadLesson('nope', [empty]));
    if (err.message.includes('lessons found:')) return; // bundled lessons exist: covered above
    expect(err.message).toBe(`unknown lesson "nope" (no lessons found in ${empty}, ${bundledLessonsDir()})`);
  });

  it('throws the LessonError of a broken lesson', async () => {
    const err = await rejection(loadLesson('broken-duplicate', [FIXTURES]));
    expect(err).toBeInstanceOf(LessonError);
    expect(err.message).toBe(
      `${path.join(FIXTURES, 'broken-duplicate', 'lesson.md')}:10: duplicate step id "deploy-the-app" (the step on line 6 has it too); give one of them another {#id}`,
    );
  });

  it('throws user errors for a missing path and a folder without lesson.md', async () => {
    const missing = await rejection(loadLesson(path.join(tmp, 'nowhere.md')));
    expect(missing.userError).toBe(true);
    expect(missing.message).toBe(`no lesson at ${path.join(tmp, 'nowhere.md')}: no such file or folder`);
    const noLesson = await rejection(loadLesson(path.join(extra, 'notes')));
    expect(noLesson.userError).toBe(true);
    expect(noLesson.message).toBe(`no lesson.md in ${path.join(extra, 'notes')}`);
  });
});
