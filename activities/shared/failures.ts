import { ApplicationFailure } from '@temporalio/common';
import { BusinessRuleViolation } from '../../domain/shared/errors';

/** Runs an activity body, turning business-rule refusals into non-retryable failures of the same type. */
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
      });
    }
    throw error;
  }
}
