import { logActivity } from './function-routes.js';
import { lambdaHandler } from './runtime.js';

/** API Gateway → Lambda entry point of the `/fn/log-activity` route. */
export const handler = lambdaHandler(logActivity);
