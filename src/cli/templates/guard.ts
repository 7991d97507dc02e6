/**
 * Templates of `wiregate generate guard`: a guard class and its spec.
 * @module
 */
import type { Names } from '../names';

/** `<name>.guard.ts` */
export function guardTemplate(names: Names): string {
  return `import type { CanActivate, ExecutionContext } from 'wiregate';

/**
 * Lets a connection or a message through when the client sent a token in its handshake
 * (\`io(url, { auth: { token } })\`). Put it on a gateway with
 * \`@UseGuards(${names.pascal}Guard)\` to check every connection and message, or on one handler.
 */
export class ${names.pascal}Guard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const token: unknown = context.handshake.auth.token;
    return typeof token === 'string' && token !== '';
  }
}
`;
}

/** `<name>.guard.spec.ts` */
export function guardSpecTemplate(names: Names): string {
  return `import type { ExecutionContext } from 'wiregate';
import { ${names.pascal}Guard } from './${names.kebab}.guard';

function contextWithAuth(auth: Record<string, unknown>): ExecutionContext {
  return { handshake: { auth } } as unknown as ExecutionContext;
}

describe('${names.pascal}Guard', () => {
  const guard = new ${names.pascal}Guard();

  it('lets a client with a token through', () => {
    expect(guard.canActivate(contextWithAuth({ token: 'secret' }))).toBe(true);
  });

  it('refuses a client without a token', () => {
    expect(guard.canActivate(contextWithAuth({}))).toBe(false);
  });
});
`;
}
