import {
  GraphQLError,
  Kind,
  getOperationAST,
  parse,
  visit,
  type DocumentNode,
  type ExecutionArgs,
} from 'graphql/index.js';
import type { Plugin } from 'graphql-yoga';
import type { GatewayContext } from '../gateway-context.js';
import { createDepthLimitRule } from '../limits/depth-limit-rule.js';
import { estimateComplexity } from '../limits/estimate-complexity.js';
import type { GatewayMetrics } from '../metrics/gateway-metrics.js';

/** Options of {@link useGatewayPolicy}. */
export interface GatewayPolicyOptions {
  maxDepth: number;
  /** @default 20 */
  maxIntrospectionDepth?: number;
  maxComplexity: number;
  defaultListSize: number;
  /** Most aliased fields in one document. */
  maxAliases: number;
  /** Most lexical tokens in one document (graphql's own parser limit). */
  maxTokens: number;
  metrics: GatewayMetrics;
}

/** Number of aliased fields in a document (each one runs its resolver again). */
function countAliases(document: DocumentNode): number {
  let aliases = 0;
  visit(document, {
    [Kind.FIELD](node) {
      if (node.alias) aliases++;
    },
  });
  return aliases;
}

/**
 * The yoga/envelop plugin enforcing the gateway's rules on HTTP and WebSocket alike: the depth limit (a
 * validation rule), the complexity limit (checked with the variables at execution), the `operator` role for
 * mutations, and the request metrics.
 */
export function useGatewayPolicy(options: GatewayPolicyOptions): Plugin<GatewayContext> {
  const { metrics } = options;
  const depthRule = createDepthLimitRule(options.maxDepth, options.maxIntrospectionDepth ?? 20);

  const refuse = (args: ExecutionArgs): GraphQLError | undefined => {
    const operation = getOperationAST(args.document, args.operationName);
    const context = args.contextValue as GatewayContext;
    if (operation?.operation === 'mutation' && context.principal.role !== 'operator') {
      metrics.refused('forbidden');
      return new GraphQLError(
        `Forbidden: mutations need an API key with the "operator" role; this key ("${context.principal.name}") has "${context.principal.role}".`,
        {
          extensions: { code: 'FORBIDDEN', http: { status: 403 } },
        },
      );
    }
    const aliases = countAliases(args.document);
    if (aliases > options.maxAliases) {
      metrics.refused('too_complex');
      return new GraphQLError(
        `Query has too many aliases: ${aliases} aliased fields exceed the limit of ${options.maxAliases}. Send fewer aliases per request.`,
        {
          extensions: { code: 'QUERY_TOO_COMPLEX', aliases, maxAliases: options.maxAliases, http: { status: 400 } },
        },
      );
    }
    const complexity = estimateComplexity({
      schema: args.schema,
      document: args.document,
      operationName: args.operationName ?? null,
      variables: (args.variableValues as Record<string, unknown> | undefined) ?? null,
      defaultListSize: options.defaultListSize,
    });
    if (complexity > options.maxComplexity) {
      metrics.refused('too_complex');
      return new GraphQLError(
        `Query is too complex: estimated cost ${complexity} exceeds the limit of ${options.maxComplexity}. Lower the limit arguments or ask for fewer nested lists.`,
        {
          extensions: {
            code: 'QUERY_TOO_COMPLEX',
            complexity,
            maxComplexity: options.maxComplexity,
            http: { status: 400 },
          },
        },
      );
    }
    return undefined;
  };

  return {
    onParse({ setParseFn }) {
      // graphql's parser stops at maxTokens, so a huge document is refused before it is fully parsed.
      setParseFn((source, parseOptions) => parse(source, { ...parseOptions, maxTokens: options.maxTokens }));
    },
    onValidate({ addValidationRule }) {
      addValidationRule(depthRule);
      return ({ result }) => {
        if (result.some((error) => error.extensions?.code === 'QUERY_TOO_DEEP')) metrics.refused('too_deep');
      };
    },
    onExecute({ args, setResultAndStopExecution }) {
      const refusal = refuse(args);
      if (refusal) return setResultAndStopExecution({ errors: [refusal] });
      const operation = getOperationAST(args.document, args.operationName);
      const type = operation?.operation ?? 'query';
      const field = rootField(operation);
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          const failed = 'errors' in result && Array.isArray(result.errors) && result.errors.length > 0;
          metrics.operation(type, field, failed ? 'error' : 'ok', (performance.now() - started) / 1000);
        },
      };
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refusal = refuse(args);
      if (refusal) setResultAndStopExecution({ errors: [refusal] });
    },
  };
}

function rootField(operation: ReturnType<typeof getOperationAST>): string {
  const first = operation?.selectionSet.selections[0];
  return first?.kind === 'Field' ? first.name.value : 'unknown';
}
