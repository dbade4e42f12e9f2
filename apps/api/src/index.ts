export { loadConfig } from './config.ts';
export type { ApiConfig } from './config.ts';
export { createApiServer } from './server.ts';
export type { ApiServer } from './server.ts';
export { createServices } from './services.ts';
export type { ApiServices, CreateServicesOptions } from './services.ts';
export { createLogger } from './observability/logger.ts';
export { createMetrics } from './observability/metrics.ts';
export type { ApiMetrics } from './observability/metrics.ts';
