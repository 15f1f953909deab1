import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from './nag.js';
import { readSettings } from './settings.js';
import { PlatformStack } from './stacks/platform-stack.js';
import { SingleHostStack } from './stacks/single-host-stack.js';

/**
 * Both deployments of SPEC §8 in one CDK app, checked by cdk-nag's AWS Solutions rules. Tests
 * build the app the same way, with their own context.
 */
export function createApp(props: AppProps = {}, options: { functionCodeRoot?: string } = {}) {
  const app = new App(props);
  const settings = readSettings(app.node);
  const env = { account: settings.account, region: settings.region };
  const singleHost = new SingleHostStack(app, 'TickItNowSingleHost', {
    env,
    settings,
    description: 'TickItNow on one EC2 host: nginx + API, release bucket (SPEC §8, first seed)',
  });
  const platform = new PlatformStack(app, 'TickItNowPlatform', {
    env,
    settings,
    ...(options.functionCodeRoot ? { functionCodeRoot: options.functionCodeRoot } : {}),
    terminationProtection: true,
    description:
      'TickItNow full platform: VPC, ECS, RDS, ElastiCache, Lambda, Step Functions (SPEC §8, second seed)',
  });
  // Synthesis stops on any finding that is not acknowledged with a reason.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, singleHost, platform, settings };
}
