/**
 * The CDK app. `npm run synth` synthesizes it offline (no AWS account, no Docker) with the cdk-nag
 * AwsSolutions checks as an aspect: a finding fails the synth unless suppressed in code with a reason.
 */
import { App, Aspects } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StaffIdentityProvider } from './constructs/staff-api.js';
import { SystemStack } from './system-stack.js';

export function buildApp(app: App = new App()): { app: App; stack: SystemStack } {
  // Personal medical data stays in mainland China (PIPL): the default region is AWS Beijing. The account
  // is left open so the same synth deploys to any account; `-c region=…` picks another region.
  const region = (app.node.tryGetContext('region') as string | undefined) ?? 'cn-north-1';
  // China regions have no Cognito user pools: staff tokens come from the province's own OIDC provider,
  // named in cdk.json (the shipped value is a placeholder the agency replaces).
  const identity: StaffIdentityProvider = region.startsWith('cn-')
    ? {
        kind: 'oidc',
        issuer: String(app.node.tryGetContext('staffOidcIssuer') ?? ''),
        audience: [String(app.node.tryGetContext('staffOidcAudience') ?? '')],
      }
    : { kind: 'cognito' };
  if (identity.kind === 'oidc' && (!identity.issuer || !identity.audience[0])) {
    throw new Error('set staffOidcIssuer and staffOidcAudience in cdk.json (or -c) for a China-region deployment');
  }
  const stack = new SystemStack(app, 'JilinMedicalInsurance', {
    env: { region },
    identity,
    description: '吉林省基本医疗保险参保缴费: policy engine, case store, workflows',
  });
  Aspects.of(app).add(new AwsSolutionsChecks({ verbose: true }));
  return { app, stack };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildApp().app.synth();
}
