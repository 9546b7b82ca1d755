// Every `kubectl create` subcommand with kubectl 1.32 (protobuf bodies), 1.29 and 1.27 (JSON bodies)
// (1.33 and 1.31: kubectl-create.test.ts; the suite: kubectl-create.suite.ts).
import { kubectlCreateSuite } from './kubectl-create.suite.js';

kubectlCreateSuite(['1.32', '1.29', '1.27']);
