import { buildSchema, parse } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { typeDefs } from '../schema/type-defs.js';
import { estimateComplexity } from './estimate-complexity.js';

const schema = buildSchema(typeDefs);
const cost = (query: string, variables?: Record<string, unknown>) =>
  estimateComplexity({ schema, document: parse(query), variables: variables ?? null });

describe('estimateComplexity', () => {
  it('costs one per field, multiplied by enclosing list sizes', () => {
    expect(cost('{ infrastructure(id: "a") { id name } }')).toBe(3);
    expect(cost('{ listInfrastructures(limit: 5) { id name } }')).toBe(1 + 5 * 2);
    // Nested lists without a limit count as the default size (10).
    expect(cost('{ listInfrastructures(limit: 5) { id deployments { id name } } }')).toBe(1 + 5 * (1 + 1 + 10 * 2));
  });

  it('uses variables and schema defaults for limits', () => {
    const query = 'query($n: Int) { deployments(limit: $n) { id } }';
    expect(cost(query, { n: 50 })).toBe(1 + 50);
    expect(cost('{ deployments { id } }')).toBe(1 + 100);
  });

  it('follows fragments and picks the named operation', () => {
    const query =
      'query A { deployments(limit: 2) { ...F } } query B { infrastructure(id: "x") { id } } fragment F on Deployment { id name }';
    expect(estimateComplexity({ schema, document: parse(query), operationName: 'A' })).toBe(1 + 2 * 2);
    expect(estimateComplexity({ schema, document: parse(query), operationName: 'B' })).toBe(2);
  });
});
