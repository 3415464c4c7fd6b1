import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowInterceptorsFactory } from '@temporalio/workflow';
import { REQUEST_ID_HEADER } from '../domain/request-id';

/**
 * Every log line of a process names the HTTP request that started it (`requestId`), so the API's
 * access log and the workflow's lines can be joined. Log attributes only: no command changes, so
 * recorded histories replay as before. Module state is the workflow's own (one per execution).
 */
let startedBy: string | undefined;

export const interceptors: WorkflowInterceptorsFactory = () => ({
  inbound: [
    {
      execute(input, next) {
        const header = input.headers[REQUEST_ID_HEADER];
        if (header) startedBy = defaultPayloadConverter.fromPayload<string>(header);
        return next(input);
      },
    },
  ],
  outbound: [
    {
      getLogAttributes(input, next) {
        return next(startedBy ? { ...input, requestId: startedBy } : input);
      },
    },
  ],
});
