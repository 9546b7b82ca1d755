/**
 * The sandbox as the rest of kubetutor sees it: start one, list its scenarios. Nothing outside
 * src/sandbox/ imports a module in here but this one (test/ may: it tests the parts). The
 * sandbox in turn imports nothing of the app but the leaves (src/kube/, src/text/) and the trace
 * model in src/traces/ (checked by test/unit/import-layers.test.ts).
 */
export { startSandbox, Sandbox, UnknownScenarioError, PortInUseError, type SandboxOptions } from './sandbox.js';
export { listScenarios, ERA_FRESH_SCENARIOS, SCENARIO_NAMES, type ScenarioName } from './scenarios/index.js';
