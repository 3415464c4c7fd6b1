/**
 * Remembers the response to each idempotency key, as QuickBooks (`requestid`) and Xero
 * (`Idempotency-Key`) do: a repeated key gets the first answer and creates nothing.
 */
export class IdempotentResponses {
  private readonly responses = new Map<string, { status: number; body: unknown }>();
  replays = 0;

  replay(key: string | undefined): { status: number; body: unknown } | undefined {
    if (!key) return undefined;
    const hit = this.responses.get(key);
    if (hit) this.replays += 1;
    return hit;
  }

  remember(key: string | undefined, status: number, body: unknown): void {
    if (key) this.responses.set(key, { status, body });
  }
}
