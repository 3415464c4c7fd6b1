import { RECEIVABLE_RETURN_STATUSES, RETURN_CONDITIONS, type ReturnStatus } from './return';

/**
 * What a return's process is doing at this moment, as its guards see it: its status and the
 * requests it has taken but not finished. The process keeps these; the guards only read them.
 */
export interface ReturnActivity {
  id: string;
  status: ReturnStatus;
  /** Eligibility has been checked and the return claimed on its order. */
  registered: boolean;
  /** An approval or a rejection has been taken. */
  decided: boolean;
  /** A receipt is being applied. */
  receiving: boolean;
}

/** Why the return cannot be approved or rejected now, if it cannot. */
export function decisionRefusal(r: ReturnActivity): string | undefined {
  if (!r.registered || r.status !== 'requested' || r.decided)
    return `return ${r.id} is ${r.status}; only a requested return awaits a decision`;
  return undefined;
}

/** Why goods cannot be received on the return now, if they cannot. */
export function receiptRefusal(r: ReturnActivity): string | undefined {
  if (!RECEIVABLE_RETURN_STATUSES.includes(r.status))
    return `return ${r.id} is ${r.status}; goods are received only while it is approved or in transit`;
  if (r.receiving) return `return ${r.id} has a receipt in progress`;
  return undefined;
}

/**
 * Why a receipt's lines do not fit the return, if they do not: only the return's SKUs, each once,
 * never more units than were requested, in a known condition.
 */
export function receiptLinesRefusal(
  returnId: string,
  requested: ReadonlyArray<{ sku: string; quantity: number }>,
  received: ReadonlyArray<{ sku: string; quantity: number; condition: string }> | undefined,
): string | undefined {
  if (!received?.length) return 'a receipt needs at least one line';
  const seen = new Set<string>();
  for (const line of received) {
    const asked = requested.find((l) => l.sku === line.sku);
    if (!asked) return `lines: ${line.sku} is not part of return ${returnId}`;
    if (seen.has(line.sku)) return `lines: ${line.sku} is listed twice`;
    seen.add(line.sku);
    if (!Number.isInteger(line.quantity) || line.quantity < 0 || line.quantity > asked.quantity)
      return `lines: ${line.sku} quantity must be a whole number from 0 to ${asked.quantity}`;
    if (!(RETURN_CONDITIONS as readonly string[]).includes(line.condition))
      return `lines: ${line.sku} condition must be one of ${RETURN_CONDITIONS.join(', ')}`;
  }
  return undefined;
}
