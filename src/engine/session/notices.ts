/**
 * The one-line notice under the step ("step 2 passed: step 3 unlocked"). The session keeps what
 * happened (a `Notice`); the words are derived from it when the view is drawn, in the learner's
 * language (src/i18n/en-session.ts).
 */
import { t } from '../../i18n/index.js';
import { untrustedNotice } from '../../lesson/trust.js';

export type Notice =
  | { kind: 'untrusted' }
  /** Words made elsewhere (the UI's `note`, a port-forward's own message, the moved-ports line). */
  | { kind: 'text'; text: string }
  | { kind: 'progress-unreadable'; reason: string }
  /** `step`: where the learner resumes (0-based), undefined when every step is done. */
  | { kind: 'progress-rebuilt'; step: number | undefined; reason: string; keptAs: string | undefined }
  | { kind: 'forward-trouble'; name: string; message: string; portTaken: boolean }
  | { kind: 'background-ended'; name: string; exited: boolean; lastWords: string | undefined }
  | { kind: 'refused-destructive'; command: string; drift: string }
  | { kind: 'already-running'; name: string }
  | { kind: 'forward-started'; name: string; pid: number | undefined; port: number }
  | { kind: 'background-started'; name: string; pid: number | undefined }
  | { kind: 'command-busy' }
  | { kind: 'forward-moved'; name: string; port: number; lessonPort: number }
  | { kind: 'lesson-complete' }
  /** `step` passed (0-based), `next` is current now; `following`: the learner is taken there. */
  | { kind: 'step-passed'; step: number; next: number; following: boolean };

/** The words of a notice. */
export function noticeText(n: Notice): string {
  switch (n.kind) {
    case 'untrusted':
      return untrustedNotice();
    case 'text':
      return n.text;
    case 'progress-unreadable':
      return t('session.progressUnreadable', { reason: n.reason });
    case 'progress-rebuilt': {
      const where = n.step !== undefined ? t('session.resumingAt', { n: n.step + 1 }) : t('session.allDoneAlready');
      const kept = n.keptAs ? t('session.oldFileKept', { file: n.keptAs.slice(n.keptAs.lastIndexOf('/') + 1) }) : t('session.oldFileNotMoved');
      // What matters first, as a narrow screen cuts the line: unreadable, rebuilt, where the learner is.
      return t('session.progressRebuilt', { where, reason: n.reason, kept });
    }
    case 'forward-trouble':
      return t(n.portTaken ? 'session.forwardPortTaken' : 'session.forwardTrouble', { name: n.name, message: n.message });
    case 'background-ended':
      return t(n.exited ? 'session.backgroundExited' : 'session.backgroundFailed', { name: n.name, lastWords: n.lastWords ?? t('session.noOutput') });
    case 'refused-destructive':
      return t('session.refusedDestructive', { command: n.command, drift: n.drift });
    case 'already-running':
      return t('session.alreadyRunning', { name: n.name });
    case 'forward-started':
      return t('session.forwardStarted', { name: n.name, pid: String(n.pid), port: n.port });
    case 'background-started':
      return t('session.backgroundStarted', { name: n.name, pid: String(n.pid) });
    case 'command-busy':
      return t('session.commandBusy');
    case 'forward-moved':
      return t('session.forwardMoved', { name: n.name, port: n.port, lessonPort: n.lessonPort });
    case 'lesson-complete':
      return t('session.lessonComplete');
    case 'step-passed':
      return t(n.following ? 'session.stepAlreadyDone' : 'session.stepPassed', { n: n.step + 1, next: n.next + 1 });
  }
}

/** The notice given last, counted so the UI can tell a new one from one it has dismissed. */
export class NoticeBoard {
  private current: Notice | null = null;
  private given = 0;
  private at = 0;

  /** Gives `n` (about the step the learner views now), or takes the notice away (null). */
  set(n: Notice | null, viewing: number): void {
    if (n !== null) {
      this.given++;
      this.at = viewing;
    }
    this.current = n;
  }

  get notice(): Notice | null {
    return this.current;
  }

  /** How many notices were given. */
  get seq(): number {
    return this.given;
  }

  /** The step the learner was viewing when the notice was given. */
  get step(): number {
    return this.at;
  }
}
