import { createEvent } from './function-routes.js';
import { lambdaHandler } from './runtime.js';

/** API Gateway → Lambda entry point of the `/fn/create-event` route. */
export const handler = lambdaHandler(createEvent);
