/**
 * The six function routes of SPEC §5, as API Gateway routes to Lambda functions. Each entry
 * says what its function may touch, so that its role gets exactly those permissions.
 */
export type TFunctionRoute = Readonly<{
  /** Also the bundle's folder: server/dist/lambda/<name>/index.mjs (built from server/src/lambda/<name>.ts). */
  name:
    'send-otp' | 'subscribe' | 'create-event' | 'create-ticket' | 'get-qr-code' | 'log-activity';
  method: 'GET' | 'POST';
  path: `/fn/${string}`;
  /** Object storage (images, QR codes): read (presign GET) and/or write. */
  files?: 'read' | 'write' | 'read-write';
  /** Writes activity records to DynamoDB. */
  writesActivity?: boolean;
  /** Publishes OTP and notification messages to SNS. */
  publishesNotifications?: boolean;
  /** Starts the subscribe workflow (Step Functions). */
  startsSubscribeWorkflow?: boolean;
}>;

export const functionRoutes: readonly TFunctionRoute[] = [
  { name: 'send-otp', method: 'POST', path: '/fn/send-otp', publishesNotifications: true },
  { name: 'subscribe', method: 'POST', path: '/fn/subscribe', startsSubscribeWorkflow: true },
  { name: 'create-event', method: 'POST', path: '/fn/create-event', files: 'read-write' },
  { name: 'create-ticket', method: 'POST', path: '/fn/create-ticket', files: 'read-write' },
  { name: 'get-qr-code', method: 'GET', path: '/fn/get-qr-code', files: 'read' },
  { name: 'log-activity', method: 'POST', path: '/fn/log-activity', writesActivity: true },
];
