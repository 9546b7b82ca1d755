/**
 * The trace model the viewer draws: built (purely) from a Jaeger trace by
 * `buildTraceModel` in trace-model.ts. Times are microseconds.
 */

export type SpanKind = 'client' | 'server' | 'producer' | 'consumer' | 'internal' | 'unknown';

export interface KeyValue { key: string; value: string | number | boolean; type?: string }

export interface SpanLog { timestamp: number; fields: KeyValue[] }

export interface SpanNode {
  spanID: string;
  traceID: string;
  operation: string;
  service: string;
  kind: SpanKind;
  /** Absolute start (µs since epoch) and duration (µs). */
  start: number;
  duration: number;
  /** Start relative to the trace's start (µs). */
  offset: number;
  tags: KeyValue[];
  processTags: KeyValue[];
  logs: SpanLog[];
  references: Array<{ refType: 'CHILD_OF' | 'FOLLOWS_FROM'; traceID: string; spanID: string }>;
  /** Parent span id in the tree (undefined for roots). */
  parentID?: string;
  /** Children ids, sorted by start time. */
  children: string[];
  depth: number;
  /** A root whose referenced parent is missing from the trace. */
  orphan: boolean;
  /** Ends after its parent ends (drawn clamped, flagged). */
  overrunsParent: boolean;
  /** error=true, or an HTTP status >= 500 (or a gRPC error status). */
  error: boolean;
  /** When this span is one half of a client/server pair: the other half's id. */
  pairedWith?: string;
  /** On the critical path (Jaeger UI's definition). */
  critical: boolean;
  /** The tree link to the parent came from a FOLLOWS_FROM reference (no CHILD_OF in the trace). */
  followsFrom?: boolean;
  /** For an orphan: the parent span id it references, which is not in the trace. */
  missingParentID?: string;
  /** Spans beneath this one (whole subtree, itself excluded). */
  descendants?: number;
  /** Error spans beneath this one (what a collapsed row hides). */
  descendantErrors?: number;
  /** Span-level warnings from Jaeger, plus the model's own (duplicate id, cycle cut). */
  warnings?: string[];
}

/** One stretch of the critical path: `spanID` itself was the bottleneck from `start` to `end` (absolute µs). */
export interface CriticalSection {
  spanID: string;
  start: number;
  end: number;
}

export interface SpanPair {
  clientID: string;
  serverID: string;
  /** Client duration minus server duration (µs): time spent between the two sidecars / on the wire. */
  gap: number;
  /** The caller and callee services. */
  from: string;
  to: string;
}

export interface TraceModel {
  traceID: string;
  start: number;
  /** End of the last span minus start (µs). */
  duration: number;
  /** All spans by id. */
  spans: Map<string, SpanNode>;
  /** Root span ids (real roots first, then orphans), by start time. */
  roots: string[];
  /** Span ids in depth-first display order (children by start time). */
  order: string[];
  pairs: SpanPair[];
  /** Critical path span ids, root first. */
  criticalPath: string[];
  /** The critical path as time sections (latest first, like Jaeger UI computes them). */
  criticalSections?: CriticalSection[];
  /** Deepest depth in the tree (roots are 0). */
  maxDepth?: number;
  services: Array<{ name: string; spans: number; errors: number }>;
  errorCount: number;
  /** The root span's service and operation (what Jaeger's list shows). */
  rootService: string;
  rootOperation: string;
  warnings: string[];
}

/** A trace list row, like Jaeger's "Find Traces". */
export interface TraceSummary {
  traceID: string;
  rootService: string;
  rootOperation: string;
  start: number;
  duration: number;
  spanCount: number;
  errorCount: number;
  services: Array<{ name: string; spans: number }>;
}
