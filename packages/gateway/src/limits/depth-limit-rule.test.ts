import { buildSchema, getIntrospectionQuery, parse, validate, specifiedRules } from 'graphql/index.js';
import { describe, expect, it } from 'vitest';
import { typeDefs } from '../schema/type-defs.js';
import { createDepthLimitRule } from './depth-limit-rule.js';

const schema = buildSchema(typeDefs);
const errorsOf = (query: string, maxDepth = 8, maxIntrospectionDepth?: number) =>
  validate(schema, parse(query), [...specifiedRules, createDepthLimitRule(maxDepth, maxIntrospectionDepth)]).map(
    (error) => error.extensions,
  );

describe('createDepthLimitRule', () => {
  it('accepts the standard introspection query (GraphiQL, codegen) under the default data depth of 8', () => {
    expect(errorsOf(getIntrospectionQuery())).toEqual([]);
    expect(
      errorsOf(
        getIntrospectionQuery({
          descriptions: true,
          specifiedByUrl: true,
          directiveIsRepeatable: true,
          schemaDescription: true,
          inputValueDeprecation: true,
        }),
      ),
    ).toEqual([]);
    // It is deeper than 8: counted on its own budget, it is refused by a lower introspection limit.
    const [refused] = errorsOf(getIntrospectionQuery(), 8, 8);
    expect(refused).toMatchObject({ code: 'QUERY_TOO_DEEP', maxDepth: 8 });
    expect(refused!['depth']).toBeGreaterThan(8);
  });

  it('still refuses deep data queries, also beside introspection', () => {
    const deep =
      '{ listInfrastructures { compute { infrastructure { compute { infrastructure { compute { infrastructure { id } } } } } } } }';
    expect(errorsOf(deep, 4)).toEqual([expect.objectContaining({ code: 'QUERY_TOO_DEEP', maxDepth: 4 })]);
    expect(errorsOf(`{ __schema { queryType { name } } ${deep.slice(1)}`, 4)).toEqual([
      expect.objectContaining({ code: 'QUERY_TOO_DEEP', maxDepth: 4 }),
    ]);
  });

  it('refuses introspection nested past its own limit', () => {
    const ofType = (levels: number): string => (levels === 0 ? 'name' : `ofType { ${ofType(levels - 1)} }`);
    expect(errorsOf(`{ __type(name: "Query") { fields { type { ${ofType(10)} } } } }`)).toEqual([]);
    expect(errorsOf(`{ __type(name: "Query") { fields { type { ${ofType(30)} } } } }`)).toEqual([
      expect.objectContaining({ code: 'QUERY_TOO_DEEP', maxDepth: 20 }),
    ]);
  });
});
