/** quiz: the learner picked the right option. The answer is never revealed in a failure. */
import { failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';
import { t } from '../../i18n/index.js';

export interface QuizFacts {
  /** The option picked (0-based), if any. */
  choice?: number;
}

export const quizCheck: CheckKindModule<CheckOf<'quiz'>, QuizFacts> = {
  kind: 'quiz',
  async gather(_check, env) {
    const choice = env.checkKey === undefined ? undefined : env.quizAnswer(env.checkKey);
    return choice === undefined ? {} : { choice };
  },
  judge(check, { choice }) {
    if (choice === undefined) return failed(check, t('kinds.quiz.unanswered', { question: check.question }), { expected: t('kinds.quiz.anAnswer'), found: t('kinds.quiz.noAnswer') });
    const picked = check.options[choice] ?? t('kinds.quiz.option', { number: choice + 1 });
    if (choice === check.answer) return passed(t('kinds.quiz.right', { picked }));
    return failed(check, t('kinds.quiz.wrong', { picked, question: check.question }), { expected: t('kinds.quiz.rightOption'), found: picked, diagnosis: [t('kinds.quiz.tryAgain')] });
  },
};
