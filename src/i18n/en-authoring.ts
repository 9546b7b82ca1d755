/** English: the class view, lint, import and self-test (src/class/, src/authoring/), and what is left in engine/, ui/, traces/. Composed into src/i18n/en.ts. */
export const enAuthoring = {
  // --- the class grid (src/class/class-view.ts) ------------------------------------------------
  'author.class.learners': { one: '{count} learner, {done} done', other: '{count} learners, {done} done' },
  'author.class.stuckLongest': '; stuck longest: {learner} on {step} for {duration}',
  'author.class.step': 'step',
  'author.class.stuck': 'stuck',
  'author.class.lastFailure': 'last failure',
  'author.class.done': 'done',
  'author.class.onStep': 'on step',
  'author.class.passed': 'passed',
  'author.class.steps': 'steps: {steps}',

  // --- lint warnings (src/authoring/lint.ts) ----------------------------------------------------
  'author.lint.noCheck': 'step "{step}" has commands but no check: nothing tells the learner it worked',
  'author.lint.killByName': 'unsafe: "{command}" ends processes by name, including ones this lesson did not start; use a background command (the runner stops it) or kill a PID',
  'author.lint.unsetVar': '{ref} is read here, but no earlier step exports it',
  'author.lint.erasNotListed': 'blocks are marked for eras ({eras}), but the front matter lists none: add eras: [...] so lint can check that every era has a solution',
  'author.lint.eraNotClaimed': 'this block is for era {era}, which the lesson does not claim (front matter eras: {claimed})',
  'author.lint.eraNoSolution': 'step "{step}": its solution has no line for {missing}, which the lesson claims (eras: {claimed} on line {line}): add a solution block with when=era:{eras}',
  'author.lint.policyCall': 'trace check: "{from} -> {to}": istio-policy\'s Check span has no client span above it (the sidecar\'s Mixer filter makes the call); write "{from} > {to}"',
  'author.lint.policyEras': 'trace check: istio-policy spans exist only on Istio 1.0 and 1.1 (Mixer); add eras: [1.0, 1.1] (or put it in a check {when=era:1.0,1.1} block) so the check passes on modern Istio',

  // --- what was left in src/ui/ ----------------------------------------------------------------
  /** An inline image with no alt text (src/ui/markdown.ts). */
  'author.ui.image': 'image',
} as const;
