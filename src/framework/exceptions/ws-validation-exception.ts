/**
 * The error raised when a DTO fails validation.
 * @module
 */
import { WS_ERROR_CODES } from './error-codes';
import { WsException } from './ws-exception';

/** One failing property: its dotted path and the failed constraints with their messages. */
export interface ValidationIssue {
  /** Dotted path from the payload root (`address.city`, `items.1.name`). */
  property: string;
  /** Constraint name to message, as class-validator reports them. */
  constraints: Record<string, string>;
}

/** Thrown by validation with every failing property in `details`. */
export class WsValidationException extends WsException {
  declare readonly details: ValidationIssue[];

  constructor(issues: ValidationIssue[]) {
    super('Validation failed', { code: WS_ERROR_CODES.VALIDATION, details: issues });
    this.name = 'WsValidationException';
  }
}
