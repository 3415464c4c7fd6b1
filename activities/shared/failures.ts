import { ApplicationFailure, ApplicationFailureCategory } from '@temporalio/common';
import { BusinessRuleViolation } from '../../domain/shared/errors';

/**
 * Runs an activity body, turning business-rule refusals into non-retryable failures of the same
 * type. They are benign: an answer the process handles (its workflow writes the one line about
 * it), so the SDK logs them at debug instead of a warning with a stack per refusal.
 */
export async function refusingNonRetryably<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof BusinessRuleViolation) {
      throw ApplicationFailure.create({
        message: error.message,
        type: error.type,
        details: [{ reasons: error.reasons }],
        nonRetryable: true,
        category: ApplicationFailureCategory.BENIGN,
      });
    }
    throw error;
  }
}
