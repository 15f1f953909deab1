import { z } from 'zod';
import { toSnsMessage } from '../adapters/mail/sns-mailer.js';
import { ZEmail } from '../http/common.schema.js';
import { ZTopic } from '../modules/subscriptions/subscriptions.schema.js';
import { subscribe } from './function-routes.js';
import { lambdaHandler, runtimeFromEnvironment, type TFunctionRuntime } from './runtime.js';

/** What the Step Functions subscribe workflow sends this function for its check step. */
export const ZSubscribeStepEvent = z.object({
  step: z.literal('check-subscription'),
  email: ZEmail,
  topic: ZTopic,
});

/**
 * The workflow step: is the address confirmed for the topic, and if not, the confirmation
 * message for the state machine to publish (`shouldSend`), as the SNS mail driver would.
 */
export async function runSubscribeStep(event: unknown, runtime: TFunctionRuntime) {
  const input = ZSubscribeStepEvent.parse(event);
  const step = await runtime.services.subscriptions.runSubscribeStep(input);
  return {
    shouldSend: step.shouldSend,
    confirmed: step.outcome === 'already_confirmed',
    outcome: step.outcome,
    message: step.message ? toSnsMessage(step.message) : null,
  };
}

const httpHandler = lambdaHandler(subscribe);

/** API Gateway → Lambda entry point of `/fn/subscribe`, and the check step of its workflow. */
export const handler = async (event: unknown) =>
  typeof event === 'object' && event !== null && 'step' in event
    ? runSubscribeStep(event, await runtimeFromEnvironment())
    : httpHandler(event as Parameters<typeof httpHandler>[0]);
