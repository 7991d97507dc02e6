/**
 * Templates of `wiregate generate service`: an injectable service and its spec.
 * @module
 */
import type { Names } from '../names';

/** `<name>.service.ts` */
export function serviceTemplate(names: Names): string {
  return `import { injectable } from 'tsyringe';

/**
 * State and logic shared by gateways. Add it as a constructor parameter of a gateway and
 * wiregate injects it (one instance per app unless registered otherwise).
 */
@injectable()
export class ${names.pascal}Service {
  private readonly items: string[] = [];

  add(item: string): void {
    this.items.push(item);
  }

  list(): readonly string[] {
    return this.items;
  }
}
`;
}

/** `<name>.service.spec.ts` */
export function serviceSpecTemplate(names: Names): string {
  return `import { ${names.pascal}Service } from './${names.kebab}.service';

describe('${names.pascal}Service', () => {
  it('lists what was added, in order', () => {
    const service = new ${names.pascal}Service();
    service.add('first');
    service.add('second');
    expect(service.list()).toEqual(['first', 'second']);
  });
});
`;
}
