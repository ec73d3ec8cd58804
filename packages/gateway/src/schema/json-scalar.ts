import { GraphQLScalarType, Kind, valueFromASTUntyped } from 'graphql/index.js';

/** The `JSON` scalar: any JSON value, passed through as is (objects are validated by the zod schemas). */
export const JsonScalar = new GraphQLScalarType({
  name: 'JSON',
  description: 'Free-form JSON value',
  serialize: (value) => value,
  parseValue: (value) => value,
  parseLiteral: (node, variables) =>
    node.kind === Kind.NULL ? null : valueFromASTUntyped(node, variables ?? undefined),
});
