/**
 * `--port LESSON_PORT=LOCAL_PORT` on start, play, test and check: the lesson's
 * local ports (the dashboard's 15032) moved before anything runs, as `m` moves
 * a forward on screen. And the check, before a lesson starts, that the ports
 * its forwards need are free: a taken one is named with the process holding it
 * (never touched) and what to do.
 */
import { userError } from '../user-error.js';
import { lessonForwards, lessonPortProblems, parsePortFlags, type PortMap } from '../lesson/port-remap.js';
export { movedPortsLine } from '../lesson/port-remap.js';
import type { Lesson } from '../lesson/types.js';
import { describeHolder, ephemeralPort, freePortNear, portInUse, whoHolds } from '../processes/port-owner.js';
import { listText, t } from '../i18n/index.js';

export const PORT_OPTIONS = { port: { type: 'string', multiple: true } } as const;

/** The `--port` values as a map for this lesson (`auto` resolved to a free port). Throws a user error on bad values. */
export async function portFlags(lesson: Lesson, values: readonly string[] | undefined): Promise<Map<number, number>> {
  let map: Map<number, number>;
  try {
    map = parsePortFlags(values ?? []);
  } catch (e) {
    throw userError((e as Error).message);
  }
  const problems = lessonPortProblems(lesson, map);
  if (problems.length) throw userError(problems.join('\n'));
  for (const [from, to] of map) if (to === 0) map.set(from, await ephemeralPort());
  return map;
}

/**
 * The local ports the lesson's forwards need, after `map`, that something else already
 * listens on: one message per port, naming the holder and what to do. Empty when all are free.
 */
export async function takenForwardPorts(lesson: Lesson, map: PortMap): Promise<string[]> {
  const byPort = new Map<number, { lessonPort: number; names: string[]; steps: Set<string> }>();
  for (const { step, command } of lessonForwards(lesson)) {
    const local = map.get(command.readyPort) ?? command.readyPort;
    const entry = byPort.get(local) ?? { lessonPort: command.readyPort, names: [], steps: new Set<string>() };
    entry.names.push(`"${command.name}"`);
    entry.steps.add(step.id);
    byPort.set(local, entry);
  }
  const out: string[] = [];
  for (const [local, { lessonPort, names, steps }] of byPort) {
    if (!(await portInUse(local))) continue;
    const [holder, free] = await Promise.all([whoHolds(local).catch(() => undefined), freePortNear(local)]);
    const forwards = names.length === 1 ? t('cmd.ports.forwardOne', { name: names[0] }) : t('cmd.ports.forwardMany', { names: listText(names) });
    out.push(t('cmd.ports.taken', { local, forwards, steps: [...steps].join(', '), who: describeHolder(holder), lessonPort, free }));
  }
  return out;
}

/** Throws a user error naming every taken forward port (see takenForwardPorts). */
export async function refuseTakenForwardPorts(lesson: Lesson, map: PortMap): Promise<void> {
  const taken = await takenForwardPorts(lesson, map);
  if (taken.length) throw userError(taken.join('\n'));
}
