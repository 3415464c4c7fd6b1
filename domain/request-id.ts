/**
 * The id of the HTTP request that caused a Temporal call, carried as this Temporal header from
 * the API's client to the workflow, whose log lines then name it: one id from the access log to
 * the process's own lines.
 */
export const REQUEST_ID_HEADER = 'crossdock-request-id';

/** An id a caller may choose (`X-Request-Id`); anything else is replaced by one of the hub's. */
export const CALLER_REQUEST_ID = /^[\w.:-]{1,128}$/;
