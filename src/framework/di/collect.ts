/**
 * Flattens `createApp({ modules })` into gateways, providers and module classes.
 * @module
 */
import { bootstrapError } from '../exceptions/bootstrap-error';
import type { Type } from '../interfaces/types';
import { GATEWAY_OPTIONS, MODULE } from '../metadata/keys';
import { readValue } from '../metadata/read';
import type { DynamicModule, ModuleMetadata } from './module';
import type { Provider } from './providers';

/** What a module tree declares, flattened; each module once, imports first. */
export interface CollectedModules {
  gateways: Type[];
  providers: Provider[];
  /** Module classes, imported ones before the modules importing them (NestJS calls their hooks too). */
  modules: Type[];
  /** Per module, in `modules` order: the tokens of its providers and its gateways (hook order). */
  members: { module: Type; tokens: unknown[]; gateways: Type[] }[];
}

/**
 * Walks the module tree depth-first. Gateways found in `providers` (classes with
 * `@WebSocketGateway()`) are gateways, as NestJS lists them.
 * @throws WiregateError `WG_ERR_BOOTSTRAP` for a module without `@Module()`.
 */
export async function collectModules(
  roots: readonly (Type | DynamicModule | Promise<DynamicModule>)[],
): Promise<CollectedModules> {
  const out: CollectedModules = { gateways: [], providers: [], modules: [], members: [] };
  const seen = new Set<Type>();
  const visit = async (entry: Type | DynamicModule | Promise<DynamicModule>): Promise<void> => {
    const resolved = await entry;
    const cls = typeof resolved === 'function' ? resolved : resolved?.module;
    if (typeof cls !== 'function')
      throw bootstrapError(
        `createApp: modules must be @Module() classes or dynamic modules, got ${String(resolved)}`,
      );
    if (seen.has(cls)) return;
    seen.add(cls);
    const declared = readValue<ModuleMetadata>(MODULE, cls);
    if (declared === undefined && typeof resolved === 'function')
      throw bootstrapError(`${cls.name} is listed as a module but has no @Module() decorator`);
    const parts: ModuleMetadata[] = [declared ?? {}];
    if (typeof resolved !== 'function') parts.push(resolved);
    for (const part of parts) for (const imported of part.imports ?? []) await visit(imported);
    const members = { module: cls, tokens: [] as unknown[], gateways: [] as Type[] };
    for (const part of parts) {
      for (const provider of part.providers ?? []) {
        if (typeof provider === 'function' && readValue(GATEWAY_OPTIONS, provider) !== undefined)
          members.gateways.push(provider);
        else {
          out.providers.push(provider);
          members.tokens.push(typeof provider === 'function' ? provider : provider?.provide);
        }
      }
      members.gateways.push(...(part.gateways ?? []));
    }
    out.gateways.push(...members.gateways);
    out.modules.push(cls);
    out.members.push(members);
  };
  for (const root of roots) await visit(root);
  out.gateways = [...new Set(out.gateways)];
  return out;
}
