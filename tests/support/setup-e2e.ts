import { startTestStack } from './test-stack';

/** The e2e tier (e2e, infra and contract tests): everything, Temporal dev server included. */
export default () => startTestStack('e2e');
