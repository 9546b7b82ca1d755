// `kubetutor play --pace 0` on the 1.1 pre-release and on released 1.0 (the suite: play-eras.suite.ts;
// 1.1 and current Istio: play-eras-later.test.ts).
import { playErasSuite } from './play-eras.suite.js';

playErasSuite([
  ['ready', 'jaeger-forward', ':15032'],
  ['istio-1.0', 'jaeger-forward-pod', ':16686'],
]);
