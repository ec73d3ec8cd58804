export { createGateway, type Gateway } from './create-gateway.js';
export type { GatewayOptions } from './gateway-options.js';
export type {
  GatewayContext,
  GatewayRemediator,
  GatewayServices,
  ManualRemediationRequest,
} from './gateway-context.js';
export { typeDefs } from './schema/type-defs.js';
export { createExecutableSchema } from './schema/create-executable-schema.js';
export {
  ApiKeySchema,
  RoleSchema,
  apiKeyFromConnectionParams,
  apiKeyFromHeaders,
  createApiKeyAuthenticator,
  parseApiKeySpec,
  type ApiKey,
  type ApiKeyAuthenticator,
  type Principal,
  type Role,
} from './auth/api-keys.js';
export { createDepthLimitRule } from './limits/depth-limit-rule.js';
export { estimateComplexity, type ComplexityOptions } from './limits/estimate-complexity.js';
export {
  BoundedQueue,
  SlowSubscriberError,
  type BoundedQueueOptions,
  type OverflowPolicy,
} from './events/bounded-queue.js';
export { StatusBus, type StatusChange } from './events/status-bus.js';
export { createGatewayMetrics, type GatewayMetrics, type GatewayMetricsOptions } from './metrics/gateway-metrics.js';
export type { DeploymentStatus, InfrastructureProvider } from './providers/infrastructure-provider.js';
export {
  createProcessPoolProvider,
  type ProcessPoolProviderOptions,
  type WorkerCommand,
} from './providers/process-pool-provider.js';
export {
  createInfrastructurePlugin,
  ScaleParametersSchema,
  type InfrastructurePluginOptions,
} from './providers/infrastructure-plugin.js';
export { scaleAndRecord } from './providers/scale-and-record.js';
export type {
  ForecastPoint,
  PredictionContext,
  PredictionOutcome,
  PredictionProvider,
  PredictionRequest,
} from './prediction/prediction-provider.js';
export {
  createForecastPredictionProvider,
  type ForecastPredictionProviderOptions,
} from './prediction/forecast-prediction-provider.js';
export { createDefaultPredictionProvider } from './prediction/default-prediction-provider.js';
export {
  createAnalyzerPredictionProvider,
  type AnalyzerPredictionProviderOptions,
} from './prediction/analyzer-prediction-provider.js';
