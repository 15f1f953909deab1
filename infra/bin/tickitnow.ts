import { createApp } from '../src/app.js';

/**
 * `npm run synth -w infra`: writes both CloudFormation templates to infra/cdk.out, offline and
 * without credentials. The CDK CLI (`npx cdk deploy`) runs this same file via cdk.json.
 */
const outdir = process.env['CDK_OUTDIR'] ?? new URL('../cdk.out', import.meta.url).pathname;
const { app } = createApp({ outdir });
const assembly = app.synth();
let errors = 0;
for (const stack of assembly.stacks) {
  for (const message of stack.messages) {
    const level = String(message.level);
    if (level === 'error') errors += 1;
    if (level !== 'info')
      process.stderr.write(`[${level}] ${message.id}: ${JSON.stringify(message.entry.data)}\n`);
  }
  process.stdout.write(`${stack.stackName}: ${stack.templateFullPath}\n`);
}
if (errors > 0) {
  process.stderr.write(`${errors} error(s): the templates must not be deployed.\n`);
  process.exitCode = 1;
}
