/**
 * Every check kind's schema, in the order messages list them ("known kinds: …"). A new kind is
 * a schema here (src/lesson/kinds/<kind>.ts) and its gather/judge in src/checks/kinds/, both
 * registered: here and in src/checks/registry.ts. The lesson's `Check` type follows from this list.
 */
import { commandSchema } from './command.js';
import { containerPresentSchema } from './container-present.js';
import { deploymentAvailableSchema } from './deployment-available.js';
import { httpSchema } from './http.js';
import { jaegerTracesSchema } from './jaeger.js';
import { noLeftoversSchema } from './leftovers.js';
import { namespaceSchema } from './namespace.js';
import { podsReadySchema } from './pods-ready.js';
import { portClosedSchema, portOpenSchema } from './ports.js';
import { processSchema } from './process.js';
import { quizSchema } from './quiz.js';
import { resourceSchema } from './resource.js';
import { serviceSchema } from './service.js';
import { traceOpenedSchema } from './trace-opened.js';
import { traceSchema } from './trace.js';
import { schemaTable } from '../check-schema.js';

export const CHECK_SCHEMAS = [
  namespaceSchema,
  podsReadySchema,
  containerPresentSchema,
  deploymentAvailableSchema,
  serviceSchema,
  resourceSchema,
  noLeftoversSchema,
  portOpenSchema,
  portClosedSchema,
  httpSchema,
  jaegerTracesSchema,
  processSchema,
  quizSchema,
  traceOpenedSchema,
  traceSchema,
  commandSchema,
] as const;

/** The built-in kinds, for the parser and `--port`. */
export const BUILTIN_SCHEMAS = schemaTable(CHECK_SCHEMAS);
