/**
 * The gateway framework's public API.
 * @module
 */
// Before anything imports tsyringe, which refuses to load without the Reflect polyfill.
import 'reflect-metadata';
export { WebSocketGateway } from './decorators/web-socket-gateway';
export type { GatewayOptions, NamespaceSpec } from './decorators/web-socket-gateway';
export { SubscribeMessage } from './decorators/subscribe-message';
export { MessageBody } from './decorators/message-body';
export type { MessageBodyOptions } from './decorators/message-body';
export { ConnectedSocket } from './decorators/connected-socket';
export { Ack } from './decorators/ack';
export { FromConnection } from './decorators/from-connection';
export { WebSocketServer } from './decorators/web-socket-server';
export { UseGuards } from './decorators/use-guards';
export { UsePipes } from './decorators/use-pipes';
export { UseInterceptors } from './decorators/use-interceptors';
export { UseFilters } from './decorators/use-filters';
export { UseValidation } from './decorators/use-validation';
export { Catch } from './decorators/catch';
export { SetMetadata } from './decorators/set-metadata';
export { JoinRoom } from './decorators/join-room';
export type { RoomSpec } from './decorators/join-room';
export { LeaveRoom } from './decorators/leave-room';
export type { ClassOrMethodDecorator } from './decorators/class-or-method';

export type { ExecutionContext, HandlerFunction } from './interfaces/execution-context';
export type {
  ArgumentsHost,
  WsArgumentsHost,
  HttpArgumentsHost,
  RpcArgumentsHost,
} from './interfaces/arguments-host';
export type { CanActivate } from './interfaces/guard';
export type { PipeTransform, ArgumentMetadata } from './interfaces/pipe';
export type {
  Interceptor,
  Interceptor as NestInterceptor,
  CallHandler,
} from './interfaces/interceptor';
export type { ExceptionFilter, WsExceptionFilter } from './interfaces/exception-filter';
export type {
  OnGatewayInit,
  OnGatewayConnection,
  OnGatewayDisconnect,
} from './interfaces/lifecycle';
export type {
  OnModuleInit,
  OnApplicationBootstrap,
  OnModuleDestroy,
  BeforeApplicationShutdown,
  OnApplicationShutdown,
} from './interfaces/app-lifecycle';
export type { WsResponse, WsResponseOf, WsErrorBody, WsErrorReply } from './interfaces/reply';
export type { Type, ClassOrInstance } from './interfaces/types';

export { WsException } from './exceptions/ws-exception';
export type { WsExceptionOptions } from './exceptions/ws-exception';
export { WsValidationException } from './exceptions/ws-validation-exception';
export type { ValidationIssue } from './exceptions/ws-validation-exception';
export { WsForbiddenException } from './exceptions/forbidden-exception';
export { WS_ERROR_CODES } from './exceptions/error-codes';
export { BaseWsExceptionFilter } from './exceptions/base-ws-exception-filter';
export type { ErrorCause, NestErrorOptions } from './exceptions/nest-error-payload';
export type { ErrorMode } from './pipeline/error-reply';
export type { CallHandlerMode } from './pipeline/compile-handler';

export { ParseIntPipe } from './pipes/parse-int-pipe';
export { ParseFloatPipe } from './pipes/parse-float-pipe';
export { ParseBoolPipe } from './pipes/parse-bool-pipe';
export { DefaultValuePipe } from './pipes/default-value-pipe';
export { ValidationPipe } from './pipes/validation-pipe';
export type { ValidationPipeOptions } from './pipes/validation-pipe';

export { Injectable, Inject, Optional } from './di/injectable';
export { Scope } from './di/scope';
export { REQUEST } from './di/request-scope';
export { APP_GUARD, APP_PIPE, APP_INTERCEPTOR, APP_FILTER } from './di/app-enhancers';
export { ModuleRef, ContextIdFactory } from './di/module-ref';
export type { ContextId } from './di/module-ref';
export type { ScopeOptions } from './di/scope';
export { Module } from './di/module';
export type { ModuleMetadata, DynamicModule } from './di/module';
export type {
  Provider,
  ProviderToken,
  ClassProvider,
  ValueProvider,
  FactoryProvider,
  ExistingProvider,
} from './di/providers';

export { Reflector } from './reflector';
export type { MetadataTarget, ReflectableDecorator } from './reflector';
export type { ValidationSettings } from './pipeline/validation';
export type { Logger } from './pipeline/exceptions';
export { EXCEPTION_EVENT } from './pipeline/reply';
export type { ReplyMode } from './pipeline/reply';
export { createApp } from './create-app';
export type { App, AppOptions } from './create-app';
