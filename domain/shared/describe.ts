/**
 * Words the Temporal UI shows for a process (its summary, details and current details): shared
 * pieces, so every area writes dates, amounts and waits the same way. Pure: workflows call these
 * with their own clock, starters with theirs.
 */

/** `2026-12-08 14:30 UTC`: a moment as ops read it in the UI, to the minute. */
export function uiTime(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** The moment `ms` after `from` (an ISO time), as an ISO time. */
export function isoAfter(from: string, ms: number): string {
  return new Date(Date.parse(from) + ms).toISOString();
}

/** `3 × SKU-1, 1 × SKU-2`, the first few lines of a process, and how many more. */
export function linesText(lines: ReadonlyArray<{ sku: string; quantity: number }>, shown = 3): string {
  const listed = lines.slice(0, shown).map((l) => `${l.quantity} × ${l.sku}`);
  const more = lines.length - listed.length;
  return more > 0 ? `${listed.join(', ')} and ${more} more` : listed.join(', ');
}

/** A markdown list of facts, skipping the ones a process does not have (yet). */
export function factList(facts: Record<string, string | number | undefined>): string {
  return Object.entries(facts)
    .filter(([, value]) => value !== undefined && value !== '')
    .map(([name, value]) => `- **${name}:** ${value}`)
    .join('\n');
}

/** Initials of a name (`Jane van Dyke` → `J. v. D.`): enough for ops to match a guest, no personal data. */
export function initials(name: string | undefined): string {
  const parts = (name ?? '').trim().split(/\s+/).filter(Boolean);
  return parts.length === 0 ? '?' : parts.map((p) => `${[...p][0]}.`).join(' ');
}

/** `Rejected: UnknownSku — no SKU X in the catalogue`: a refusal as every process shows it. */
export function rejectionText(rejection: { type: string; reasons: string[] } | undefined): string {
  return `Rejected: ${rejection?.type ?? ''} — ${(rejection?.reasons ?? []).join('; ')}`;
}
