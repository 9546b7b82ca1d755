/** The /proc parsing behind process records: pure, with the awkward command names the kernel allows. */
import { describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { PROC, NO_PROC } from '../helpers/proc.js';
import { describeRecord, leftoverHeadline, parseProcStat, procIdentity, type ProcessRecord } from '../../src/processes/process-records.js';

describe('parseProcStat', () => {
  test('reads the process group (field 5) and the start time (field 22)', () => {
    const line = '4242 (kubectl) S 1 4242 4242 0 -1 4194560 1234 0 0 0 12 3 0 0 20 0 11 0 987654 1234567 890 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0';
    expect(parseProcStat(line)).toEqual({ pgid: 4242, startTime: 987654 });
  });

  test('a command name with spaces and parentheses does not shift the fields', () => {
    const line = '77 (a) b (c d)) R 1 70 70 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 5555 0 0';
    expect(parseProcStat(line)).toEqual({ pgid: 70, startTime: 5555 });
  });

  test('garbage is undefined', () => {
    expect(parseProcStat('')).toBeUndefined();
    expect(parseProcStat('12 (x) S 1 2')).toBeUndefined();
  });

  test('agrees with this very process (from /proc; from ps where /proc is hidden)', () => {
    const id = procIdentity(process.pid)!;
    expect(id.startTime).toBeGreaterThan(0);
    const stat = parseProcStat(readFileSync(`${PROC}/${process.pid}/stat`, 'utf8'))!;
    expect(id.pgid).toBe(stat.pgid);
    if (!NO_PROC) expect(id).toEqual(stat);
    else expect(Math.abs(id.startTime - (bootTime() + stat.startTime / 100))).toBeLessThanOrEqual(1); // ps: UTC seconds
  });
});

test('the prompt lines', () => {
  const rec = { pid: 1234, command: 'kubectl port-forward --namespace istio-system \\\n    pod/jaeger 15032:16686' } as ProcessRecord;
  expect(describeRecord(rec)).toBe('pid 1234 kubectl port-forward --namespace istio-system pod/jaeger 15032:16686');
  expect(leftoverHeadline(1)).toBe('1 process from an earlier kubetutor run is still running');
  expect(leftoverHeadline(2)).toBe('2 processes from an earlier kubetutor run are still running');
});

/** Boot time in UTC seconds (btime of /proc/stat); clock ticks are 100 a second on Linux. */
function bootTime(): number {
  return Number(/^btime (\d+)$/m.exec(readFileSync(`${PROC}/stat`, 'utf8'))![1]);
}
