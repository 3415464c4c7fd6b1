import { startTestStack } from './test-stack';

/** The workflow tier (time-skipping and replay tests): no Temporal dev server, they bring their own. */
export default () => startTestStack('workflow');
