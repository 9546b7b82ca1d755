/**
 * Where the tests' own oracles (which processes are left over, is this pid alive) read the
 * process table: /proc, or, while scripts/test-no-proc.sh hides /proc from everything it runs,
 * the real procfs it keeps aside for them. The code under test never reads this path.
 */
export const PROC = process.env.KT_TEST_REAL_PROC ?? '/proc';

/** True while /proc is hidden (scripts/test-no-proc.sh): the code must take its ps/lsof paths. */
export const NO_PROC = process.env.KT_TEST_NO_PROC === '1';
