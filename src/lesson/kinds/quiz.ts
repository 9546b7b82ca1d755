/** The `quiz` check's schema: a question, its options, and the right one. */
import { field } from '../check-fields.js';
import { checkSchema } from '../check-schema.js';
import { t } from '../../i18n/index.js';

export const quizSchema = checkSchema({
  kind: 'quiz',
  required: { question: field.string, options: field.strings, answer: field.index },
  optional: {},
  rules(c, at) {
    if (!Array.isArray(c.options)) return;
    const n = c.options.length;
    if (n < 2) at.problem(t('lesson.rule.quizOptions'), 'options');
    else if (typeof c.answer === 'number' && c.answer >= n) at.problem(t('lesson.rule.quizAnswer', { answer: c.answer, last: n - 1 }), 'answer');
  },
  title: (c) => c.question.trim(),
  askedInPlace: true,
  doc: { parameters: '`question`, `options` (list), `answer` (0-based index)', passes: 'the learner picked the right option' },
});
