/**
 * The staff API: an HTTP API with a JWT authorizer on every route, and one function per entry of the
 * route table (functions/api/routes.ts) — the same table the handlers, the OpenAPI file and the local
 * runtime read.
 *
 * Who issues the staff's tokens: a Cognito user pool where the partition has Cognito (each user carries a
 * pooling region attribute and role groups). AWS's China regions have no Cognito user pools, and a
 * province's staff already sign in to its own identity provider, so there the authorizer trusts that
 * provider's OIDC issuer instead. Either way the tokens carry `sub`, `custom:region` and
 * `cognito:groups`, which is all the handlers read.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { RouteSpec } from '#functions/lib/http.js';
import { ROLES } from '#functions/lib/auth.js';
import { ServiceFunction } from './service-function.js';

export type StaffIdentityProvider =
  | { readonly kind: 'cognito' }
  | { readonly kind: 'oidc'; readonly issuer: string; readonly audience: readonly string[] };

export interface StaffApiProps {
  readonly routes: readonly RouteSpec[];
  readonly environment: Record<string, string>;
  readonly identity: StaffIdentityProvider;
}

const pascal = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export class StaffApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly userPool: cognito.UserPool | undefined;
  readonly functions = new Map<string, ServiceFunction>();

  constructor(scope: Construct, id: string, props: StaffApiProps) {
    super(scope, id);
    let authorizer: HttpJwtAuthorizer;
    if (props.identity.kind === 'cognito') {
      const pool = new cognito.UserPool(this, 'Staff', {
        selfSignUpEnabled: false,
        signInAliases: { username: true, email: true },
        mfa: cognito.Mfa.REQUIRED,
        mfaSecondFactor: { otp: true, sms: false },
        featurePlan: cognito.FeaturePlan.PLUS,
        standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
        passwordPolicy: {
          minLength: 12,
          requireDigits: true,
          requireLowercase: true,
          requireUppercase: true,
          requireSymbols: true,
        },
        // The staff member's pooling region: the API refuses to act outside it (403).
        customAttributes: { region: new cognito.StringAttribute({ minLen: 6, maxLen: 6, mutable: true }) },
        accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
        removalPolicy: RemovalPolicy.RETAIN,
      });
      for (const role of ROLES) {
        new cognito.CfnUserPoolGroup(this, `Group${pascal(role)}`, { userPoolId: pool.userPoolId, groupName: role });
      }
      const client = pool.addClient('Console', {
        authFlows: { userSrp: true },
        accessTokenValidity: Duration.hours(1),
        idTokenValidity: Duration.hours(1),
        // The ID token carries custom:region and cognito:groups, which the handlers read.
        readAttributes: new cognito.ClientAttributes()
          .withCustomAttributes('region')
          .withStandardAttributes({ email: true }),
      });
      this.userPool = pool;
      authorizer = new HttpJwtAuthorizer('StaffJwt', pool.userPoolProviderUrl, {
        jwtAudience: [client.userPoolClientId],
      });
    } else {
      this.userPool = undefined;
      authorizer = new HttpJwtAuthorizer('StaffJwt', props.identity.issuer, {
        jwtAudience: [...props.identity.audience],
      });
    }
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      description: '吉林省医保参保缴费 staff API',
      defaultAuthorizer: authorizer,
      createDefaultStage: false,
    });
    new apigw.HttpStage(this, 'Stage', {
      httpApi: this.api,
      autoDeploy: true,
      stageName: '$default',
      accessLogSettings: { destination: new apigw.LogGroupLogDestination(accessLogs) },
      throttle: { rateLimit: 200, burstLimit: 400 },
    });

    for (const route of props.routes) {
      const fn = new ServiceFunction(this, pascal(route.operationId), {
        entry: route.handler.entry,
        description: `staff API: ${route.method} ${route.path}`,
        environment: props.environment,
      });
      this.functions.set(route.operationId, fn);
      this.api.addRoutes({
        path: route.path,
        methods: [route.method as apigw.HttpMethod],
        integration: new HttpLambdaIntegration(`${pascal(route.operationId)}Integration`, fn.fn),
        authorizer,
      });
    }
  }
}
