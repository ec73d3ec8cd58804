import { GraphQLError, Kind, type ASTVisitor, type FragmentDefinitionNode, type SelectionSetNode, type ValidationContext } from 'graphql/index.js';

/**
 * A GraphQL validation rule refusing operations nested deeper than `maxDepth` fields (fragments are
 * followed; `__typename` and introspection's own fields count like any other field).
 */
export function createDepthLimitRule(maxDepth: number): (context: ValidationContext) => ASTVisitor {
  return (context) => ({
    OperationDefinition(operation) {
      const fragments = new Map<string, FragmentDefinitionNode>();
      for (const definition of context.getDocument().definitions) {
        if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
      }
      const depth = measure(operation.selectionSet, fragments, 0, new Set());
      if (depth > maxDepth) {
        context.reportError(
          new GraphQLError(`Query is nested ${depth} levels deep; the limit is ${maxDepth}. Ask for fewer nested fields.`, {
            nodes: [operation],
            extensions: { code: 'QUERY_TOO_DEEP', depth, maxDepth },
          }),
        );
      }
    },
  });
}

function measure(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, depth: number, visiting: Set<string>): number {
  let deepest = depth;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      const inner = selection.selectionSet ? measure(selection.selectionSet, fragments, depth + 1, visiting) : depth + 1;
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
