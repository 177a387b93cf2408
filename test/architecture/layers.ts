/**
 * The import directions of the project, as data, and the check that reads every TypeScript file's imports
 * against them. The core (shared/) is layered from pure calendar and money code up to the application
 * services; what runs in Lambda (functions/) and what deploys (infra/) sit on it; development tooling
 * (tools/, bench/) and the tests may use everything, and nothing that ships may use them.
 *
 * A file's imports are read with TypeScript's own pre-processor (static, dynamic and type-only imports,
 * re-exports), resolved through package.json's subpath imports, and each target is placed in an area.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative, sep } from 'node:path';
import ts from 'typescript';

/** An area of the tree: a folder, the areas it may import, and the packages it may not. */
export interface Area {
  readonly name: string;
  readonly folder: string;
  readonly mayImport: readonly string[];
  /** Package name patterns this area must not import (a trailing `*` matches a scope or prefix). */
  readonly forbiddenPackages: readonly string[];
}

/** Packages that tie code to AWS or to the Lambda runtime: the pure core must not import them. */
export const AWS_PACKAGES = [
  '@aws-sdk/*',
  'aws-cdk-lib',
  'aws-cdk',
  'constructs',
  '@aws-lambda-powertools/*',
  '@middy/*',
];

const PURE_CORE = ['domain', 'schemas', 'params', 'rules'];

/**
 * Lower areas first. Each shared layer may import itself and the layers below it; `functions` and `infra`
 * may import the whole core (infra also reads the route table in functions/api/routes.ts); tools, bench and
 * test may import anything that ships, and nothing that ships may import them.
 */
export const AREAS: readonly Area[] = [
  { name: 'domain', folder: 'shared/domain', mayImport: [], forbiddenPackages: AWS_PACKAGES },
  { name: 'schemas', folder: 'shared/schemas', mayImport: ['domain'], forbiddenPackages: AWS_PACKAGES },
  { name: 'params', folder: 'shared/params', mayImport: ['domain', 'schemas'], forbiddenPackages: AWS_PACKAGES },
  {
    name: 'rules',
    folder: 'shared/rules',
    mayImport: ['domain', 'schemas', 'params'],
    forbiddenPackages: AWS_PACKAGES,
  },
  { name: 'store', folder: 'shared/store', mayImport: PURE_CORE, forbiddenPackages: [] },
  {
    name: 'app',
    folder: 'shared/app',
    mayImport: [...PURE_CORE, 'store'],
    // The application services reach AWS only through their ports (shared/app/ports.ts).
    forbiddenPackages: AWS_PACKAGES,
  },
  {
    name: 'functions',
    folder: 'functions',
    mayImport: [...PURE_CORE, 'store', 'app'],
    forbiddenPackages: ['aws-cdk-lib', 'aws-cdk', 'constructs'],
  },
  { name: 'infra', folder: 'infra', mayImport: [...PURE_CORE, 'store', 'app', 'functions'], forbiddenPackages: [] },
  {
    name: 'tools',
    folder: 'tools',
    mayImport: [...PURE_CORE, 'store', 'app', 'functions', 'infra'],
    forbiddenPackages: [],
  },
  {
    name: 'bench',
    folder: 'bench',
    // The store benchmark runs on the tests' DynamoDB Local helper (test/support/dynamodb-local.ts).
    mayImport: [...PURE_CORE, 'store', 'app', 'functions', 'infra', 'tools', 'test'],
    forbiddenPackages: [],
  },
  {
    name: 'test',
    folder: 'test',
    mayImport: [...PURE_CORE, 'store', 'app', 'functions', 'infra', 'tools', 'bench'],
    forbiddenPackages: [],
  },
];

export interface Violation {
  readonly file: string;
  readonly imports: string;
  readonly why: string;
}

export interface SourceFile {
  /** Path relative to the project root, with forward slashes. */
  readonly path: string;
  readonly text: string;
}

/** The area a project path belongs to, or null for a file outside every area (e.g. cdk.out). */
export function areaOf(path: string): Area | null {
  return AREAS.find((a) => path === a.folder || path.startsWith(`${a.folder}/`)) ?? null;
}

const packageName = (spec: string) => {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? spec);
};

const matches = (pattern: string, name: string) =>
  pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;

/** package.json `imports` (`"#rules/*": "./shared/rules/*"`) → a resolver of `#…` specifiers. */
export function subpathResolver(imports: Record<string, string>): (spec: string) => string | null {
  const entries = Object.entries(imports);
  return (spec) => {
    for (const [key, target] of entries) {
      const prefix = key.replace(/\*$/, '');
      if (key.endsWith('*') ? spec.startsWith(prefix) : spec === key) {
        const resolved = key.endsWith('*') ? target.replace(/\*$/, spec.slice(prefix.length)) : target;
        return normalize(resolved).split(sep).join('/');
      }
    }
    return null;
  };
}

/** Every import of one file that its area may not make. */
export function violationsOf(file: SourceFile, resolveSubpath: (spec: string) => string | null): Violation[] {
  const from = areaOf(file.path);
  if (!from) return [];
  const { importedFiles } = ts.preProcessFile(file.text, true, true);
  const out: Violation[] = [];
  for (const { fileName: spec } of importedFiles) {
    if (spec.startsWith('node:')) continue;
    let target: string | null = null;
    if (spec.startsWith('.'))
      target = normalize(join(dirname(file.path), spec))
        .split(sep)
        .join('/');
    else if (spec.startsWith('#')) {
      target = resolveSubpath(spec);
      if (target === null) {
        out.push({ file: file.path, imports: spec, why: 'no package.json subpath import matches it' });
        continue;
      }
    }
    if (target === null) {
      const name = packageName(spec);
      const banned = from.forbiddenPackages.find((p) => matches(p, name));
      if (banned) out.push({ file: file.path, imports: spec, why: `${from.folder} may not import ${banned}` });
      continue;
    }
    const to = areaOf(target);
    if (!to) {
      out.push({ file: file.path, imports: spec, why: `${target} is outside every area` });
      continue;
    }
    if (to.name !== from.name && !from.mayImport.includes(to.name))
      out.push({ file: file.path, imports: spec, why: `${from.folder} may not import ${to.folder}` });
  }
  return out;
}

/** The TypeScript files of the given folders under `root`, as project-relative paths. */
export function sourceFiles(root: string, folders: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = join(dir, name);
      if (statSync(full).isDirectory()) {
        if (name !== 'node_modules') walk(full);
      } else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts')) {
        out.push({ path: relative(root, full).split(sep).join('/'), text: readFileSync(full, 'utf8') });
      }
    }
  };
  for (const f of folders) {
    try {
      walk(join(root, f));
    } catch {
      // A folder that does not exist holds no imports.
    }
  }
  return out;
}

/** Every violation in the project at `root`. */
export function checkProject(root: string, extra: readonly SourceFile[] = []): Violation[] {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { imports?: Record<string, string> };
  const resolve = subpathResolver(pkg.imports ?? {});
  const files = [
    ...sourceFiles(
      root,
      AREAS.map((a) => a.folder),
    ),
    ...extra,
  ];
  return files.flatMap((f) => violationsOf(f, resolve));
}
