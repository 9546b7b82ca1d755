/** `kubetutor check LESSON [--step ID] [--json] [target]`: evaluate once; exit 0 iff every check passes. */
import { parse } from './args.js';
import { loadLesson } from '../lesson/load.js';
import { openTarget } from '../cluster/target.js';
import { userError } from '../user-error.js';
import { normalizeSandboxFlag, TARGET_OPTIONS, targetOptions } from './target-flags.js';
import type { CheckResult } from '../lesson/types.js';
import { isTrusted } from '../lesson/trust.js';
import { displayText, inertJson } from '../text/display-text.js';
import { checkUrl, lessonForwards, localUrlPort, remapLessonPorts, type PortMap } from '../lesson/port-remap.js';
import { interpolate } from '../lesson/interpolate.js';
import type { Check, Lesson } from '../lesson/types.js';
import { DASHBOARD_PORT } from '../cluster/era.js';
import { describeHolder, portInUse, whoHolds } from '../processes/port-owner.js';
import { PORT_OPTIONS, portFlags } from './port-flags.js';
import { t } from '../i18n/index.js';

export async function checkCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(normalizeSandboxFlag(argv), { ...TARGET_OPTIONS, step: { type: 'string' }, json: { type: 'boolean', default: false }, trust: { type: 'boolean', default: false }, ...PORT_OPTIONS });
  if (positionals.length > 1) throw userError(t('cli.unexpectedArgument', { arg: positionals[1] }));
  const asWritten = await loadLesson(positionals[0] ?? 'istio-jaeger', values.lessons ?? []);
  // --port 15032=15099: your forward serves the dashboard on another local port; the checks look there.
  const ports = await portFlags(asWritten, values.port);
  const lesson = remapLessonPorts(asWritten, ports);
  const steps = values.step ? lesson.steps.filter((s) => s.id === values.step) : lesson.steps;
  if (!steps.length) throw userError(t('check.noStep', { lesson: lesson.id, step: values.step!, steps: lesson.steps.map((s) => s.id).join(', ') }));
  const target = await openTarget(targetOptions(values));
  try {
    if (!values.json) process.stderr.write(`${displayText(t('check.target', { label: target.label }))}\n`);
    await target.sandbox?.settled();
    const { evaluateCheck, checkKey } = await import('../checks/registry.js');
    const cluster = await target.client();
    // A cluster that cannot be reached (or refuses the credentials) is one clear line, not one per check.
    const { ClusterError } = await import('../cluster/kube-client.js');
    try {
      await cluster.list('v1', 'Namespace');
    } catch (e) {
      if (e instanceof ClusterError && (e.kind === 'unreachable' || e.kind === 'unauthorized')) throw userError(e.message);
    }
    const { istioFactsOnce, istioVars, dashboardUrlVars } = await import('../cluster/era.js');
    const { applies, lessonEra, lessonEras, namedEras, namedTools, notAskedSummary } = await import('../lesson/eras.js');
    const { onPath } = await import('../processes/on-path.js');
    const istio = istioFactsOnce(cluster);
    // What the runner gives a lesson (JAEGER_URL, ISTIO_ERA, JAEGER_BASE, PRODUCTPAGE_SERVICE); the shell's own values win.
    const facts = await istio();
    const given = { ...dashboardUrlVars(ports.get(DASHBOARD_PORT) ?? DASHBOARD_PORT), ...(facts ? istioVars(facts) : {}) };
    for (const k of Object.keys(given)) if (process.env[k] !== undefined) given[k] = process.env[k]!;
    const era = { ...(facts ? { era: lessonEra(facts, lessonEras(lesson.eras, namedEras(lesson))) } : {}), tools: onPath(namedTools(lesson)) };
    const rows: Array<{ step: string; check: string; ok: boolean; summary: string; diagnosis: string[]; expected?: string; found?: string }> = [];
    for (const step of steps) {
      const results: CheckResult[] = await Promise.all(
        step.checks.map((c, i) =>
          !applies(c.when, era) ? Promise.resolve({ ok: true, summary: notAskedSummary(c.title, c.when, era) }) : evaluateCheck(c, {
            cluster,
            istio,
            vars: given,
            lessonStartMicros: 0,
            processState: () => 'unknown',
            quizAnswer: () => undefined,
            // `command` checks of a lesson that is not kubetutor's own run only once it is trusted.
            commandsAllowed: values.trust || isTrusted(lesson),
            cwd: lesson.dir,
            env: { ...(process.env as Record<string, string>), KUBECONFIG: target.kubeconfigPath, ...(target.sandbox ? { KUBECACHEDIR: target.sandbox.kubectlCacheDir } : {}) },
            dashboardPort: ports.get(DASHBOARD_PORT) ?? DASHBOARD_PORT,
          }, checkKey(step.id, i)),
        ),
      );
      // A check of a local port that fails while something listens there: say which process that is.
      await Promise.all(step.checks.map(async (c, i) => {
        if (!results[i].ok) results[i] = { ...results[i], diagnosis: [...(results[i].diagnosis ?? []), ...(await holderNote(c, given, asWritten, ports))] };
      }));
      step.checks.forEach((c, i) => rows.push({ step: step.id, check: c.title, ok: results[i].ok, summary: results[i].summary, diagnosis: results[i].diagnosis ?? [], expected: results[i].expected, found: results[i].found }));
    }
    if (values.json) process.stdout.write(inertJson(rows, 2) + '\n');
    else {
      // Summaries and diagnoses quote the cluster (event messages, conditions…): display text, one line each.
      const say = (line: string) => process.stdout.write(`${displayText(line)}\n`);
      for (const r of rows) {
        say(`${r.ok ? '✓' : '✗'} ${r.step}: ${r.summary.replace(/^[✓✗]\s*/, '')}`);
        if (!r.ok) {
          if (r.expected) say(t('check.expected', { text: r.expected }));
          if (r.found) say(t('check.found', { text: r.found }));
          for (const d of r.diagnosis) say(`    · ${d}`);
        }
      }
      const passing = rows.filter((r) => r.ok).length;
      say(t('check.tally', { passing, total: rows.length }));
    }
    return rows.every((r) => r.ok) ? 0 : 1;
  } finally {
    await target.close();
  }
}

/**
 * For a failed check on a local port that something listens on (the page is not Jaeger's, the
 * port should be closed): the process holding it, and what to do. Empty otherwise.
 */
async function holderNote(check: Check, vars: Record<string, string>, asWritten: Lesson, ports: PortMap): Promise<string[]> {
  const raw = checkUrl(check);
  const url = raw === undefined ? undefined : interpolate(raw, vars);
  const port = url !== undefined ? localUrlPort(url) : check.kind === 'port-closed' ? check.port : undefined;
  if (port === undefined || !(await portInUse(port))) return [];
  const holder = await whoHolds(port).catch(() => undefined);
  const who = t('cmd.holder.who', { port, who: describeHolder(holder) });
  if (check.kind === 'port-closed') return [t('cmd.holder.stopIt', { who })];
  if (holder && /\bport-forward\b|\bdashboard\b/.test(holder.command)) return [t('cmd.holder.rightPod', { who })];
  // The lesson's port as written, so the advice names the flag the learner would pass.
  const lessonPort = [...ports].find(([, to]) => to === port)?.[0] ?? (lessonForwards(asWritten).some((f) => f.command.readyPort === port) ? port : undefined);
  return [lessonPort !== undefined ? t('cmd.holder.notForwardFlag', { who, port: lessonPort }) : t('cmd.holder.notForward', { who })];
}
