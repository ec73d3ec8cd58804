import {
  GraphQLError,
  Kind,
  type ASTVisitor,
  type FragmentDefinitionNode,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql/index.js';

/**
 * A GraphQL validation rule refusing operations nested deeper than `maxDepth` fields (fragments are
 * followed; `__typename` counts like any other field). Introspection (`__schema` / `__type` at the root) is
 * counted separately against `maxIntrospectionDepth`: the standard introspection query that GraphiQL and
 * code generators send is 15 levels deep, and it resolves from the schema alone, not from stored data.
 */
export function createDepthLimitRule(
  maxDepth: number,
  maxIntrospectionDepth = 20,
): (context: ValidationContext) => ASTVisitor {
  return (context) => ({
    OperationDefinition(operation) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const { data: depth, introspection } = measureRoot(operation.selectionSet, fragments, new Set());
      if (introspection > maxIntrospectionDepth) {
        context.reportError(
          new GraphQLError(
            `Introspection query is nested ${introspection} levels deep; the limit is ${maxIntrospectionDepth}.`,
            {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', depth: introspection, maxDepth: maxIntrospectionDepth },
            },
          ),
        );
      }
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(
            `Query is nested ${depth} levels deep; the limit is ${maxDepth}. Ask for fewer nested fields.`,
            {
              nodes: [operation],
              extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
            },
          ),
        );
      }
    },
  });
}

/** Depth of the data fields and, separately, of the introspection root fields (`__schema`, `__type`). */
function measureRoot(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  visiting: Set<string>,
): { data: number; introspection: number } {
  let data = 0;
  let introspection = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const depth = selection.selectionSet ? measure(selection.selectionSet, fragments, 1, visiting) : 1;
      if (selection.name.value === '__schema' || selection.name.value === '__type')
        introspection = Math.max(introspection, depth);
      else data = Math.max(data, depth);
      continue;
    }
    const inner =
      selection.kind === Kind.INLINE_FRAGMENT
        ? selection.selectionSet
        : fragments.get(selection.name.value)?.selectionSet;
    if (!inner || (selection.kind === Kind.FRAGMENT_SPREAD && visiting.has(selection.name.value))) continue;
    if (selection.kind === Kind.FRAGMENT_SPREAD) visiting.add(selection.name.value);
    const nested = measureRoot(inner, fragments, visiting);
    if (selection.kind === Kind.FRAGMENT_SPREAD) visiting.delete(selection.name.value);
    data = Math.max(data, nested.data);
    introspection = Math.max(introspection, nested.introspection);
  }
  return { data, introspection };
}

function measure(
  selectionSet: SelectionSetNode,
  fragments: Map<string, FragmentDefinitionNode>,
  depth: number,
  visiting: Set<string>,
): number {
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const inner = selection.selectionSet
        ? measure(selection.selectionSet, fragments, depth + 1, visiting)
        : depth + 1;
      deepest = Math.max(deepest, inner);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, measure(selection.selectionSet, fragments, depth, visiting));
    } else {
      const name = selection.name.value;
      const fragment = fragments.get(name);
      // A fragment cycle is reported by graphql's own NoFragmentCycles rule; stop here.
      if (!fragment || visiting.has(name)) continue;
      visiting.add(name);
      deepest = Math.max(deepest, measure(fragment.selectionSet, fragments, depth, visiting));
      visiting.delete(name);
    }
  }
  return deepest;
}
