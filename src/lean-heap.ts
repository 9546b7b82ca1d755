/**
 * The lesson runner (and the sandbox inside it) sits idle most of the time,
 * beside the learner's own tools, so V8 is asked to favour a small heap over
 * peak speed: a whole lesson run then peaks near 140 MB instead of 220 MB,
 * and nothing it does gets measurably slower (see `npm run bench`). Call it
 * before the big modules load. The trace viewer (`kubetutor traces`) keeps
 * V8's defaults: on a 50,000-span trace, speed matters more there.
 */
import { setFlagsFromString } from 'node:v8';

export function leanHeap(): void {
  setFlagsFromString('--optimize-for-size');
}
