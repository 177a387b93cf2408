/**
 * The whole system in one stack: the case table, tax-payment intake, the staff API, the long-running
 * cases (state machines, their task functions, the daily sweep and the schedules) and alarms.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ROUTE_TABLE } from '#functions/api/routes.js';
import { TAX_PAYMENT_DETAIL_TYPE, TAX_PAYMENT_SOURCE } from '#schemas/events.js';
import { CaseTable } from './constructs/case-table.js';
import { TaxPaymentIntake } from './constructs/intake.js';
import { Monitoring } from './constructs/monitoring.js';
import { ServiceFunction } from './constructs/service-function.js';
import { StaffApi, type StaffIdentityProvider } from './constructs/staff-api.js';
import { Workflows } from './constructs/workflows.js';
import { suppressFindings } from './nag-suppressions.js';

export class SystemStack extends Stack {
  readonly data: CaseTable;
  readonly intake: TaxPaymentIntake;
  readonly staffApi: StaffApi;
  readonly monitoring: Monitoring;
  readonly workflows: Workflows;

  constructor(scope: Construct, id: string, props: StackProps & { identity: StaffIdentityProvider }) {
    super(scope, id, props);
    this.data = new CaseTable(this, 'Cases');
    const environment = { CASE_TABLE_NAME: this.data.table.tableName };
    this.monitoring = new Monitoring(this, 'Monitoring');

    const intakeFn = new ServiceFunction(this, 'IntakeFunction', {
      entry: 'functions/intake/handler.ts',
      description: 'tax payment notifications: ledger, cover, waiting cases, arrears',
      environment,
    });
    this.data.grantStoreAccess(intakeFn.fn, 'read-write');
    this.intake = new TaxPaymentIntake(this, 'Intake', {
      fn: intakeFn,
      source: TAX_PAYMENT_SOURCE,
      detailType: TAX_PAYMENT_DETAIL_TYPE,
    });
    this.monitoring.deadLetterQueue('IntakeDlq', this.intake.deadLetters, 'tax payment intake');
    this.monitoring.deadLetterQueue('MalformedDlq', this.intake.malformed, 'malformed tax payment notifications');
    this.monitoring.lambdaFunction('Intake', intakeFn.fn, 'tax payment intake');

    this.staffApi = new StaffApi(this, 'StaffApi', { routes: ROUTE_TABLE, environment, identity: props.identity });
    for (const route of ROUTE_TABLE) {
      const fn = this.staffApi.functions.get(route.operationId)!;
      const readOnly = route.method === 'GET' || route.operationId === 'decide';
      this.data.grantStoreAccess(fn.fn, readOnly ? 'read' : 'read-write');
      this.monitoring.lambdaFunction(`Api${route.operationId}`, fn.fn, `staff API ${route.operationId}`);
    }

    const windowFeeYears = (this.node.tryGetContext('windowFeeYears') as number[] | undefined) ?? [2027];
    this.workflows = new Workflows(this, 'Workflows', { data: this.data, monitoring: this.monitoring, windowFeeYears });
    // Intake starts the arrears timer for a short payment and resumes cases waiting for a payment.
    this.workflows.allowStart(intakeFn.fn, 'arrears-timer');
    this.workflows.allowCallbacks(intakeFn.fn, 'arrears-timer');
    this.workflows.allowCallbacks(intakeFn.fn, 'retirement-transfer');
    // Only the routes that start or resume a workflow may.
    const api = (op: string) => this.staffApi.functions.get(op)!.fn;
    this.workflows.allowStart(api('openRetirementApplication'), 'retirement-transfer');
    this.workflows.allowCallbacks(api('recordRetirementChoice'), 'retirement-transfer');
    this.workflows.allowStart(api('fileDeferralAgreement'), 'bankruptcy-deferral');
    this.workflows.allowCallbacks(api('endDeferralAgreement'), 'bankruptcy-deferral');

    suppressFindings(this);
  }
}
