// `kubetutor play --pace 0` on released Istio 1.1 and on current Istio (the suite: play-eras.suite.ts;
// the 1.1 pre-release and 1.0: play-eras.test.ts).
import { playErasSuite } from './play-eras.suite.js';

playErasSuite([
  ['istio-1.1', 'jaeger-forward-pod', ':16686'],
  ['modern', 'jaeger-forward-pod', ':16686'],
]);
