/** quiz: the learner picked the right option. The answer is never revealed in a failure. */
import { failed, passed } from '../common.js';
import type { CheckKindModule, CheckOf } from '../types.js';

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
    if (choice === undefined) return failed(check, `not answered yet: ${check.question}`, { expected: 'an answer', found: 'no answer' });
    const picked = check.options[choice] ?? `option ${choice + 1}`;
    if (choice === check.answer) return passed(`right: ${picked}`);
    return failed(check, `"${picked}" is not the answer to: ${check.question}`, { expected: 'the right option', found: picked, diagnosis: ['think it over and pick another option'] });
  },
};
