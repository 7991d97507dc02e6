/**
 * The startup table printed with `createApp({ debug: true })`.
 * @module
 */
import { describeNamespace } from './app-settings';
import type { NamespaceBinding } from './bind-namespace';

function nameOf(ref: unknown): string {
  if (typeof ref === 'function') return (ref as { name: string }).name;
  return (ref as object | null)?.constructor?.name ?? String(ref);
}

/** One line per handler: namespace, event, class.method, guards and pipes. */
export function formatDebugTable(bindings: readonly NamespaceBinding[]): string {
  const rows: string[][] = [['namespace', 'event', 'handler', 'guards', 'pipes']];
  for (const binding of bindings) {
    for (const { plan } of binding.handlers) {
      const guards = [...plan.gateway.guards, ...plan.guards].map(nameOf).join(', ') || '-';
      const pipes = [
        ...plan.gateway.pipes,
        ...plan.pipes,
        ...plan.params.flatMap((p) => (p.kind === 'body' ? p.pipes : [])),
      ]
        .map(nameOf)
        .join(', ');
      rows.push([
        describeNamespace(binding.spec),
        plan.event,
        `${plan.gateway.name}.${plan.method}`,
        guards,
        pipes || '-',
      ]);
    }
  }
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows
    .map((r) =>
      r
        .map((cell, col) => cell.padEnd(widths[col]))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}
