/** What a scenario asks of an Istio install, whatever the era. */
export interface IstioInstallOptions {
  /**
   * Render the tracing addon: the Jaeger Deployment and the `tracing`,
   * `zipkin`, `jaeger-*` Services (Helm `tracing.enabled=true`, or the
   * samples/addons/jaeger.yaml of modern Istio).
   */
  tracing: boolean;
  /** The mesh-wide `enableTracing` switch in the `istio` ConfigMap. */
  enableTracing: boolean;
  /**
   * Share of requests traced, in percent: Pilot's `PILOT_TRACE_SAMPLING`
   * (1.0/1.1, and istiod in modern), plus the Telemetry resource's
   * `randomSamplingPercentage` in modern.
   */
  samplingPercent: number;
  /**
   * 1.1 only: the world the seed doc was written against. Between 1.0 and
   * 1.1.0 the tracing chart shipped a Gateway listening on 15032 of the
   * ingress gateway (removed before 1.1.0), and Jaeger ran without a base
   * path, so `http://localhost:15032/` opened the UI.
   */
  prereleaseTracingGateway?: boolean;
}

/** Renders a Helm-style `PILOT_TRACE_SAMPLING` value: 100 → "100", 0.5 → "0.5". */
export function samplingEnv(percent: number): string {
  return String(percent);
}
