import { createTicket } from './function-routes.js';
import { lambdaHandler } from './runtime.js';

/** API Gateway → Lambda entry point of the `/fn/create-ticket` route. */
export const handler = lambdaHandler(createTicket);
