/**
 * `kubetutor cleanup [--yes]`: the processes (port-forwards…) an earlier runner
 * started and left running (it was killed before it could stop them), and
 * with --yes, stops them. Only recorded processes whose pid and start time
 * still match are listed or signalled (see process-records.ts).
 */
import { parse } from './args.js';
import { userError } from '../user-error.js';
import { describeRecord, describeStops, leftoverHeadline, ProcessRecords, processRecordsDir } from '../processes/process-records.js';
import { displayText } from '../text/display-text.js';
import { t } from '../i18n/index.js';

export async function cleanupCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parse(argv, { yes: { type: 'boolean', short: 'y', default: false } });
  if (positionals.length) throw userError(t('cli.unexpectedArgument', { arg: positionals[0] }));
  const records = new ProcessRecords(processRecordsDir());
  const leftovers = records.leftovers();
  // Records name commands of lessons that may not be kubetutor's own: display text.
  const out = (s: string) => process.stdout.write(`${displayText(s)}\n`);
  if (!leftovers.length) {
    out(t('cmd.cleanup.none'));
    return 0;
  }
  out(`${leftoverHeadline(leftovers.length)}:`);
  for (const r of leftovers) out(`  ${t('cmd.cleanup.row', { what: describeRecord(r), lesson: r.lesson, target: r.target, since: r.startedAt })}`);
  if (!values.yes) {
    out(t('cmd.cleanup.how', { count: leftovers.length, command: 'kubetutor cleanup --yes' }));
    return 0;
  }
  const results = await records.stop(leftovers);
  for (const line of describeStops(results)) out(line);
  return results.some((r) => r.outcome === 'failed') ? 1 : 0;
}
