// What `wiregate` means to a gateway file when it runs on NestJS (see register.js): the
// NestJS names the compat gateways import, from NestJS's own packages.
export {
  Catch,
  Inject,
  Injectable,
  Module,
  Optional,
  Scope,
  SetMetadata,
  UseFilters,
  UseGuards,
  UseInterceptors,
  UsePipes,
  ValidationPipe,
  ParseIntPipe,
} from '@nestjs/common';
export type {
  ArgumentsHost,
  CallHandler,
  CanActivate,
  ExecutionContext,
  NestInterceptor,
  OnApplicationBootstrap,
  OnApplicationShutdown,
  OnModuleDestroy,
  OnModuleInit,
  BeforeApplicationShutdown,
  PipeTransform,
  WsExceptionFilter,
} from '@nestjs/common';
export {
  APP_FILTER,
  APP_GUARD,
  APP_INTERCEPTOR,
  APP_PIPE,
  ContextIdFactory,
  ModuleRef,
  Reflector,
  REQUEST,
} from '@nestjs/core';
export {
  Ack,
  BaseWsExceptionFilter,
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
  WsException,
} from '@nestjs/websockets';
export type {
  OnGatewayConnection,
  OnGatewayDisconnect,
  OnGatewayInit,
  WsResponse,
} from '@nestjs/websockets';
export type { Server, Socket } from 'socket.io';
