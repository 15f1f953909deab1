import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { TDb } from '../database/database.js';
import { enqueueJob } from '../jobs/job-queue.js';
import type { TClock } from '../../lib/clock.js';

export type TSubscribeInput = { email: string; topic: string };

/**
 * Starts durable workflows. Locally a workflow is a job on the queue that runs its steps;
 * in AWS it is a Step Functions execution whose states call the same steps.
 */
export type TWorkflows = {
  readonly kind: 'local' | 'stepfunctions';
  startSubscribe(input: TSubscribeInput): Promise<void>;
};

export function createLocalWorkflows(db: TDb, clock: TClock): TWorkflows {
  return {
    kind: 'local',
    startSubscribe: (input) =>
      enqueueJob(db, clock, { kind: 'subscriptions.subscribe', payload: input }),
  };
}

export function createStepFunctionsWorkflows(options: {
  subscribeStateMachineArn: string;
  region: string;
  client?: SFNClient;
}): TWorkflows & { client: SFNClient } {
  const client = options.client ?? new SFNClient({ region: options.region, maxAttempts: 3 });
  return {
    kind: 'stepfunctions',
    client,
    async startSubscribe(input) {
      await client.send(
        new StartExecutionCommand({
          stateMachineArn: options.subscribeStateMachineArn,
          input: JSON.stringify(input),
        }),
      );
    },
  };
}
