// Telemetry shared by the long-running services (gateway, detect): the structured logger.
export {
  type CreateLoggerOptions,
  createLogger,
  createSilentLogger,
  type DestinationStream,
  type Logger,
  type LogLevel,
  PROMPT_LOG_PATHS,
  SECRET_LOG_PATHS,
} from './create-logger.js';
