import type { Node } from 'constructs';

/**
 * Deployment settings, read once from CDK context (`cdk.json`, or `-c key=value`). Every value
 * has a default so that `npm run synth` works offline, without credentials or AWS lookups.
 */
export type TSettings = Readonly<{
  /** Account and region the templates are for (no lookups: the AZs are derived from the region). */
  account: string;
  region: string;
  availabilityZones: [string, string];
  /** The only network allowed to reach SSH on the single host and the bastion. */
  sshCidr: string;
  /** Tag of the images in ECR that the ECS services run. */
  imageTag: string;
  /** Public address users reach the platform at (e-mail links); defaults to the ALB's name. */
  publicUrl: string | undefined;
  /** An ACM certificate for the public load balancer; without it the site is served on :80. */
  certificateArn: string | undefined;
  /** Existing EC2 key pair for SSH to the single host and the bastion. */
  keyPairName: string | undefined;
  /** NAT gateways of the full platform: 1 is cheaper, 2 survives the loss of an AZ. */
  natGateways: number;
  /** Fail synthesis when a Lambda bundle (server/dist/lambda/<name>) is missing. */
  requireBuiltFunctions: boolean;
}>;

const cidrPattern = /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/;

function readString(node: Node, key: string): string | undefined {
  const value: unknown = node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`context ${key} must be a string, number or boolean`);
}

export function readSettings(node: Node): TSettings {
  const region = readString(node, 'region') ?? 'eu-central-1';
  const sshCidr = readString(node, 'sshCidr') ?? '203.0.113.0/24';
  if (!cidrPattern.test(sshCidr))
    throw new Error(`context sshCidr must be an IPv4 CIDR such as 198.51.100.7/32, not ${sshCidr}`);
  if (sshCidr.endsWith('/0'))
    throw new Error('context sshCidr must not open SSH to the whole internet');
  const natGateways = Number(readString(node, 'natGateways') ?? '1');
  if (![1, 2].includes(natGateways)) throw new Error('context natGateways must be 1 or 2');
  return Object.freeze({
    account: readString(node, 'account') ?? '123456789012',
    region,
    availabilityZones: [`${region}a`, `${region}b`] as [string, string],
    sshCidr,
    imageTag: readString(node, 'imageTag') ?? 'latest',
    publicUrl: readString(node, 'publicUrl'),
    certificateArn: readString(node, 'certificateArn'),
    keyPairName: readString(node, 'keyPairName'),
    natGateways,
    requireBuiltFunctions: ['true', '1'].includes(readString(node, 'requireBuiltFunctions') ?? ''),
  });
}
