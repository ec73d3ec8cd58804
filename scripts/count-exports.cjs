// Prints how many names (values and types) a TypeScript entry module exports, following re-exports.
// Usage: node scripts/count-exports.cjs packages/core/src/index.ts [--list]
const ts = require('typescript');
const entry = process.argv[2];
if (!entry) {
  console.error('usage: node scripts/count-exports.cjs <entry.ts> [--list]');
  process.exit(2);
}
const program = ts.createProgram([entry], {
  module: ts.ModuleKind.NodeNext,
  moduleResolution: ts.ModuleResolutionKind.NodeNext,
  target: ts.ScriptTarget.ES2022,
  noEmit: true,
  skipLibCheck: true,
});
const checker = program.getTypeChecker();
const moduleSymbol = checker.getSymbolAtLocation(program.getSourceFile(entry));
const names = checker
  .getExportsOfModule(moduleSymbol)
  .map((symbol) => symbol.getName())
  .sort();
if (process.argv.includes('--list')) console.log(names.join('\n'));
console.log(names.length);
