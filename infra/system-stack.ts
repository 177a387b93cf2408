/**
 * The whole system in one stack. Slices land issue by issue: the data layer now; the functions, the
 * intake bus, the staff API, the schedules and the state machines as their issues land.
 */
import { Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { CaseTable } from './constructs/case-table.js';

export class SystemStack extends Stack {
  readonly data: CaseTable;

  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    this.data = new CaseTable(this, 'Cases');
  }
}
