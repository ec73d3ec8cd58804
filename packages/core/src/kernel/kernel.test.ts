import { readFileSync } from 'node:fs';
import { dirname, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import * as root from '../index.js';
import * as internal from '../internal/index.js';
import * as kernel from './index.js';

const sourceRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The modules a file loads at run time: its imports and re-exports, leaving out `import type` / `export type` and all-type specifier lists. */
function runtimeImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const specifiers: string[] = [];
  for (const statement of source.statements) {
    if (ts.isImportDeclaration(statement)) {
      const clause = statement.importClause;
      if (clause?.isTypeOnly) continue;
      const bindings = clause?.namedBindings;
      const onlyTypes =
        clause !== undefined &&
        clause.name === undefined &&
        bindings !== undefined &&
        ts.isNamedImports(bindings) &&
        bindings.elements.length > 0 &&
        bindings.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined) {
      if (statement.isTypeOnly) continue;
      const clause = statement.exportClause;
      const onlyTypes =
        clause !== undefined &&
        ts.isNamedExports(clause) &&
        clause.elements.length > 0 &&
        clause.elements.every((element) => element.isTypeOnly);
      if (!onlyTypes) specifiers.push((statement.moduleSpecifier as ts.StringLiteral).text);
    }
  }
  return specifiers;
}

/** Every source module (relative to src/) and package the kernel entry loads at run time, transitively. */
function runtimeClosure(entry: string): { modules: string[]; packages: string[] } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    const name = relative(sourceRoot, file);
    if (modules.has(name)) continue;
    modules.add(name);
    for (const specifier of runtimeImports(file)) {
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
      else packages.add(specifier);
    }
  }
  return { modules: [...modules].sort(), packages: [...packages].sort() };
}

describe('@iac-dharma/core/kernel', () => {
  it('loads only contracts and plumbing at run time: no engine, analyzer, remediator or storage/transport implementation', () => {
    const { modules, packages } = runtimeClosure(resolve(sourceRoot, 'kernel/index.ts'));
    const allowed = [
      /^kernel\/index\.ts$/,
      /^errors\//,
      /^schemas\//,
      /^spec\//,
      /^metrics\/engine-metrics\.ts$/,
      /^storage\/storage-input\.ts$/,
      /^util\/(random-id|retry)\.ts$/,
      /^remediation\/canonical-json\.ts$/,
    ];
    expect(modules.filter((module) => !allowed.some((pattern) => pattern.test(module)))).toEqual([]);
    expect(modules).toContain('storage/storage-input.ts');
    expect(packages).toEqual(['zod']);
  });

  it('the walk sees through to analytics when they are imported (the root entry loads them)', () => {
    const { modules, packages } = runtimeClosure(resolve(sourceRoot, 'index.ts'));
    expect(modules).toEqual(
      expect.arrayContaining(['anomaly/anomaly-detector.ts', 'engine/engine.ts', 'forecast/capacity-forecaster.ts']),
    );
    expect(packages).toContain('eventemitter3');
  });

  it('exports every name (values and types) the root entry exports from a kernel module', () => {
    const program = ts.createProgram([resolve(sourceRoot, 'index.ts'), resolve(sourceRoot, 'kernel/index.ts')], {
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      target: ts.ScriptTarget.ES2022,
      noEmit: true,
      skipLibCheck: true,
    });
    const checker = program.getTypeChecker();
    const exportsOf = (file: string) =>
      checker.getExportsOfModule(checker.getSymbolAtLocation(program.getSourceFile(resolve(sourceRoot, file))!)!);
    const kernelNames = new Set(exportsOf('kernel/index.ts').map((symbol) => symbol.getName()));
    const kernelModules = new Set(
      runtimeClosure(resolve(sourceRoot, 'kernel/index.ts')).modules.concat([
        'spec/analyzer.ts',
        'spec/finding-handler.ts',
        'spec/model-runtime.ts',
        'spec/storage.ts',
        'spec/log-finding-classifier.ts',
      ]),
    );
    const missing = exportsOf('index.ts')
      .filter((symbol) => {
        const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
        const file = target.declarations?.[0]?.getSourceFile().fileName;
        return file !== undefined && kernelModules.has(relative(sourceRoot, file));
      })
      .map((symbol) => symbol.getName())
      .filter((name) => !kernelNames.has(name));
    expect(missing).toEqual([]);
    expect(kernelNames.has('Storage') && kernelNames.has('StoredStateParts')).toBe(true);
  });

  it('exports the very objects of the root (or, for retry and canonical JSON, the internal) entry', () => {
    const names = Object.keys(kernel);
    expect(names.length).toBeGreaterThan(60);
    for (const name of names) {
      const value = (kernel as Record<string, unknown>)[name];
      const same = name in root ? (root as Record<string, unknown>)[name] : (internal as Record<string, unknown>)[name];
      expect(same, name).toBe(value);
    }
  });
});
