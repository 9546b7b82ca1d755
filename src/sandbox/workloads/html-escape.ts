/** HTML escaping for the simulated workloads' pages (no Node imports: the Jaeger web page's browser script uses it too). */

/** Escape text for inclusion in HTML content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
