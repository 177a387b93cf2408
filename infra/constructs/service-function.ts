/**
 * The one construct that sets the Lambda defaults for every function of the system: Node.js 24 on arm64,
 * bundled by the locally installed esbuild with the project's own bundling (infra/bundling: the same
 * bundle the functions benchmark measures; no Docker), JSON logs kept for a year, X-Ray tracing. Grants
 * are made by the caller, least privilege, per function.
 */
import { spawnSync } from 'node:child_process';
import { AssetHashType, DockerImage, Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  Architecture,
  Code,
  Function as LambdaFunction,
  LoggingFormat,
  Runtime,
  Tracing,
} from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');

export interface ServiceFunctionProps {
  /** Entry file relative to the project root, e.g. `functions/intake/handler.ts`. */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  readonly timeout?: Duration;
  readonly memorySize?: number;
  /** Encrypts the log group (personal data can reach logs despite masking). */
  readonly logKey?: kms.IKey;
  readonly reservedConcurrentExecutions?: number;
}

export class ServiceFunction extends Construct {
  readonly fn: LambdaFunction;

  constructor(scope: Construct, id: string, props: ServiceFunctionProps) {
    super(scope, id);
    const logGroup = new logs.LogGroup(this, 'Logs', {
      retention: logs.RetentionDays.ONE_YEAR,
      removalPolicy: RemovalPolicy.RETAIN,
      ...(props.logKey ? { encryptionKey: props.logKey } : {}),
    });
    this.fn = new LambdaFunction(this, 'Fn', {
      code: Code.fromAsset(join(ROOT, 'functions'), {
        // Hash the bundle, not the sources: the bundle is what runs.
        assetHashType: AssetHashType.OUTPUT,
        bundling: {
          // Never pulled: local bundling always answers (esbuild is a dev dependency).
          image: DockerImage.fromRegistry('public.ecr.aws/docker/library/node:22-slim'),
          // Part of CDK's bundling cache key: without the entry in it, every function would share the first bundle.
          command: ['node', 'infra/bundling/bundle-cli.ts', props.entry, '/asset-output'],
          local: {
            tryBundle(outputDir: string): boolean {
              const r = spawnSync(
                process.execPath,
                ['--import', 'tsx', join(ROOT, 'infra/bundling/bundle-cli.ts'), props.entry, outputDir],
                { cwd: ROOT, stdio: 'inherit' },
              );
              if (r.status !== 0) throw new Error(`bundling ${props.entry} failed`);
              return true;
            },
          },
        },
      }),
      handler: 'index.handler',
      description: props.description,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      loggingFormat: LoggingFormat.JSON,
      logGroup,
      ...(props.reservedConcurrentExecutions !== undefined
        ? { reservedConcurrentExecutions: props.reservedConcurrentExecutions }
        : {}),
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'jl-medical-insurance',
        ...props.environment,
      },
    });
  }
}
