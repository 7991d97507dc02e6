/**
 * Normalises `createApp` options once, and names namespaces for grouping.
 * @module
 */
import type { NamespaceSpec } from './decorators/web-socket-gateway';
import { bootstrapError } from './exceptions/bootstrap-error';
import type { AppOptions } from './create-app';
import type { Logger } from './pipeline/exceptions';
import type { ReplyMode } from './pipeline/reply';
import type { ErrorMode } from './pipeline/error-reply';
import type { CallHandlerMode } from './pipeline/compile-handler';
import type { ValidationSettings } from './pipeline/validation';

/** `createApp` options with defaults applied. */
export interface AppSettings {
  guards: readonly unknown[];
  pipes: readonly unknown[];
  interceptors: readonly unknown[];
  filters: readonly unknown[];
  validation: ValidationSettings | false | undefined;
  handlerTimeout: number | null;
  logger: Logger;
  replies: ReplyMode;
  errors: ErrorMode;
  callHandler: CallHandlerMode;
}

/**
 * @throws WiregateError `WG_ERR_BOOTSTRAP` for a missing gateway list or a bad timeout.
 */
export function settings(options: AppOptions): AppSettings {
  if (
    options === undefined ||
    (!Array.isArray(options.gateways) && !Array.isArray(options.modules)) ||
    (options.gateways !== undefined && !Array.isArray(options.gateways))
  ) {
    throw bootstrapError(
      'createApp needs an array of gateway classes ({ gateways }) or of modules ({ modules })',
    );
  }
  const timeout = options.handlerTimeout;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw bootstrapError(
      `createApp: handlerTimeout must be a positive number of milliseconds, got ${String(timeout)}`,
    );
  }
  return {
    guards: options.guards ?? [],
    pipes: options.pipes ?? [],
    interceptors: options.interceptors ?? [],
    filters: options.filters ?? [],
    validation: options.validation,
    handlerTimeout: timeout ?? null,
    logger: options.logger ?? console,
    replies: replyMode(options.replies),
    errors: errorMode(options.errors),
    callHandler: options.callHandler === 'value' ? 'value' : 'observable',
  };
}

function replyMode(mode: unknown): ReplyMode {
  if (mode === undefined || mode === 'nestjs' || mode === 'wiregate') return mode ?? 'nestjs';
  throw bootstrapError(`createApp: replies must be 'nestjs' or 'wiregate', got ${String(mode)}`);
}

function errorMode(mode: unknown): ErrorMode {
  if (mode === undefined || mode === 'nestjs' || mode === 'wiregate') return mode ?? 'wiregate';
  throw bootstrapError(`createApp: errors must be 'wiregate' or 'nestjs', got ${String(mode)}`);
}

/** Gateways with equal keys share one namespace: same name, same RegExp, or the same function. */
export function namespaceKey(spec: NamespaceSpec): unknown {
  if (typeof spec === 'string') return spec.startsWith('/') ? spec : `/${spec}`;
  if (spec instanceof RegExp) return `regexp:${spec.source}/${spec.flags}`;
  return spec;
}

/** How a namespace is shown in messages and the debug table. */
export function describeNamespace(spec: NamespaceSpec): string {
  if (typeof spec === 'function') return `<function ${spec.name || 'anonymous'}>`;
  return String(namespaceKey(spec)).replace(/^regexp:/, 'RegExp ');
}
