import { subscribe } from './function-routes.js';
import { lambdaHandler } from './runtime.js';

/** API Gateway → Lambda entry point of the `/fn/subscribe` route. */
export const handler = lambdaHandler(subscribe);
