/**
 * What a check kind is to the lesson: its parameters and their value types, the rules between
 * them, its default title, which parameters are local ports or URLs (for `--port`), and its row
 * of the table in docs/lesson-format.md. Pure data and validation; one schema per kind in
 * src/lesson/kinds/, listed in src/lesson/kinds/index.ts. How a kind is evaluated (gather,
 * judge) is src/checks/kinds/, which reads the cluster and is loaded only once checks run.
 *
 * Why a kind is two modules, not one: the schema must be read wherever a lesson is parsed
 * (lint, `import`, every test that loads a lesson), and src/lesson (floor 4) may not import
 * src/checks (floor 6). A `kinds` table injected from above would make every caller of
 * parseLesson/loadLesson hand one over; and importing the gather/judge modules to parse would
 * load the Kubernetes client before the first frame, which start-up defers on purpose. So the
 * schema is pure data on the lesson's floor (the lesson's `Check` type is derived from it), the
 * parser takes the table as a parameter with the built-in one as its default (a test hands it
 * one more kind), and the registry (src/checks/registry.ts) lists the gather/judge modules,
 * failing to compile when a schema has none.
 */
import type { Field, FieldValue, Fields } from './check-fields.js';

/** The parameters a schema's fields give a check of its kind. */
export type ParamsOf<R extends Fields, O extends Fields> = { [K in keyof R]: FieldValue<R[K]> } & { [K in keyof O]?: FieldValue<O[K]> };

/** What a kind's rules over more than one parameter may ask and report. */
export interface RuleContext {
  /** Whether the author wrote the parameter (whatever its value). */
  given(param: string): boolean;
  /** Refuses the check: `message` at the line of `param` (at the check's `-` without one). */
  problem(message: string, param?: string): void;
}

/** The row of the check-kind table in docs/lesson-format.md (Markdown cells). */
export interface KindDoc { parameters: string; passes: string }

export interface CheckSchema<K extends string = string, P = Record<string, unknown>> {
  kind: K;
  required: Fields;
  optional: Fields;
  /** A short label derived from the parameters, when the author gives no `title`. */
  title(check: P): string;
  /** Rules that involve more than one parameter; run after each was converted (a bad one is missing from `check`). */
  rules?(check: Partial<P>, at: RuleContext): void;
  /** Parameters that are local ports, or hold localhost URLs, moved by `--port` (src/lesson/port-remap.ts). */
  ports?: { port?: Array<keyof P & string>; url?: Array<keyof P & string>; shell?: Array<keyof P & string> };
  /** The learner answers it where its check block stands (a quiz): it is a block of the step's content too. */
  askedInPlace?: boolean;
  /** Parameters kept as written when `${VAR}`s are substituted (shell text: bash expands those itself). */
  verbatim?: Array<keyof P & string>;
  doc: KindDoc;
}

/** A schema with its parameters' types inferred from its fields. */
export function checkSchema<const K extends string, R extends Fields, O extends Fields>(schema: {
  kind: K;
  required: R;
  optional: O;
  title(check: ParamsOf<R, O>): string;
  rules?(check: Partial<ParamsOf<R, O>>, at: RuleContext): void;
  ports?: CheckSchema<K, ParamsOf<R, O>>['ports'];
  verbatim?: Array<keyof ParamsOf<R, O> & string>;
  askedInPlace?: boolean;
  doc: KindDoc;
}): CheckSchema<K, ParamsOf<R, O>> {
  return schema;
}

/** The check `S` parses to, without the fields every check has (`CheckCommon`). */
export type ParamsOfSchema<S> = S extends CheckSchema<infer K, infer P> ? { kind: K } & P : never;

/** The kinds a parser knows, by name, in the order messages list them. */
export type CheckSchemas = ReadonlyMap<string, CheckSchema<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any

export function schemaTable(schemas: ReadonlyArray<CheckSchema<string, any>>): CheckSchemas { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Map(schemas.map((s) => [s.kind, s]));
}

export type { Field };
