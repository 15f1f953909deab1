import { sendOtp } from './function-routes.js';
import { lambdaHandler } from './runtime.js';

/** API Gateway → Lambda entry point of the `/fn/send-otp` route. */
export const handler = lambdaHandler(sendOtp);
