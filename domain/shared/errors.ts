/**
 * A business rule said no. Retrying cannot help; the caller ends the process in a named state.
 * `type` is stable and becomes the Temporal failure type (see ORDER_REJECTION_TYPES).
 */
export class BusinessRuleViolation extends Error {
  constructor(
    readonly type: string,
    readonly reasons: string[],
  ) {
    super(`${type}: ${reasons.join('; ')}`);
    this.name = 'BusinessRuleViolation';
  }
}
