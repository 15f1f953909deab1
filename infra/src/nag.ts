import { Stack, Validations, type CfnElement } from 'aws-cdk-lib';
// cdk-nag is CommonJS with re-exports Node's ESM loader cannot see by name.
import cdkNag from 'cdk-nag';
import type { IConstruct } from 'constructs';

export const { AwsSolutionsChecks } = cdkNag;

/** A cdk-nag rule accepted on purpose, always with the reason why. */
export type TAcknowledgedRule = {
  id: `AwsSolutions-${string}`;
  reason: string;
  /** Only these findings of the rule, e.g. `Resource::*` for AwsSolutions-IAM5[Resource::*]. */
  findings?: string[];
};

/** Acknowledges cdk-nag rules on constructs (and what they contain), each with its reason. */
export function acknowledge(scopes: IConstruct | IConstruct[], rules: TAcknowledgedRule[]) {
  for (const scope of Array.isArray(scopes) ? scopes : [scopes]) {
    for (const rule of rules) {
      const ids = rule.findings ? rule.findings.map((f) => `${rule.id}[${f}]`) : [rule.id];
      for (const id of ids) Validations.of(scope).acknowledge({ id, reason: rule.reason });
    }
  }
}

/** The CloudFormation logical id of an L2 construct's main resource, as cdk-nag names it. */
export function logicalIdOf(construct: IConstruct): string {
  const stack = Stack.of(construct);
  return String(stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)));
}
