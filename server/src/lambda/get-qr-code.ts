import { getQrCode } from './function-routes.js';
import { lambdaHandler } from './runtime.js';

/** API Gateway → Lambda entry point of the `/fn/get-qr-code` route. */
export const handler = lambdaHandler(getQrCode);
