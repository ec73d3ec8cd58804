// 'graphql/index.js' (the CommonJS build) rather than 'graphql': graphql 16 has no exports map, so Node
// loads its CJS build for graphql-yoga while bundlers pick the ESM one; one shared instance avoids
// "Cannot use GraphQLNonNull from another module or realm" errors.
import {
  Kind,
  getNamedType,
  getNullableType,
  isListType,
  isObjectType,
  isInterfaceType,
  valueFromASTUntyped,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLObjectType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql/index.js';

/** Options of {@link estimateComplexity}. */
export interface ComplexityOptions {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  /** Variable values, so `limit: $n` counts as the value sent. */
  variables?: Record<string, unknown> | null;
  /** Items assumed for a list field without a `limit` argument. @default 10 */
  defaultListSize?: number;
}

/**
 * Estimates what an operation costs to resolve: every field costs 1, multiplied by the sizes of the
 * lists it sits in. A list's size is its `limit` argument (literal, variable or schema default) or
 * `defaultListSize`. `listInfrastructures(limit: 100) { deployments { id } }` costs 1 + 100 × (1 + 10 × 1).
 */
export function estimateComplexity(options: ComplexityOptions): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  let operation: OperationDefinitionNode | undefined;
  for (const definition of options.document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    else if (
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!options.operationName || definition.name?.value === options.operationName)
    )
      operation ??= definition;
  }
  if (!operation) return 0;
  const root =
    operation.operation === 'query'
      ? options.schema.getQueryType()
      : operation.operation === 'mutation'
        ? options.schema.getMutationType()
        : options.schema.getSubscriptionType();
  if (!root) return 0;
  const defaultListSize = options.defaultListSize ?? 10;
  const variables = options.variables ?? {};

  const cost = (
    selectionSet: SelectionSetNode,
    parent: GraphQLObjectType,
    multiplier: number,
    visiting: Set<string>,
  ): number => {
    let total = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, parent, multiplier, visiting);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? options.schema.getType(selection.typeCondition.name.value) : parent;
        if (isObjectType(type)) total += cost(selection.selectionSet, type, multiplier, visiting);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        const type = options.schema.getType(fragment.typeCondition.name.value);
        if (!isObjectType(type)) continue;
        visiting.add(fragment.name.value);
        total += cost(fragment.selectionSet, type, multiplier, visiting);
        visiting.delete(fragment.name.value);
      }
    }
    return total;
  };

  const fieldCost = (node: FieldNode, parent: GraphQLObjectType, multiplier: number, visiting: Set<string>): number => {
    const definition = parent.getFields()[node.name.value];
    if (!definition) return multiplier; // introspection fields (__typename, __schema) cost 1
    let inner = multiplier;
    if (isListType(getNullableType(definition.type))) {
      const limitNode = node.arguments?.find((argument) => argument.name.value === 'limit');
      const limitDefault = definition.args.find((argument) => argument.name === 'limit')?.defaultValue;
      const limit = limitNode ? valueFromASTUntyped(limitNode.value, variables) : limitDefault;
      inner = multiplier * (typeof limit === 'number' && limit >= 0 ? limit : defaultListSize);
    }
    const named = getNamedType(definition.type);
    if (!node.selectionSet || !(isObjectType(named) || isInterfaceType(named))) return multiplier;
    return multiplier + (isObjectType(named) ? cost(node.selectionSet, named, inner, visiting) : 0);
  };

  return cost(operation.selectionSet, root, 1, new Set());
}
