import { registerGateway } from '../../src/cli/register-gateway';

const CHAT = { className: 'ChatGateway', importPath: './chat/chat.gateway' };

function updated(source: string): string {
  const result = registerGateway(source, CHAT);
  if (result.kind !== 'updated')
    throw new Error(`expected an update, got ${JSON.stringify(result)}`);
  return result.source;
}

describe('registerGateway', () => {
  it('appends to a one-line list and imports after the last import', () => {
    const source =
      "import 'reflect-metadata';\nimport { A } from './a';\n\ncreateApp({ gateways: [A] });\n";
    expect(updated(source)).toBe(
      "import 'reflect-metadata';\nimport { A } from './a';\nimport { ChatGateway } from './chat/chat.gateway';\n\n" +
        'createApp({ gateways: [A, ChatGateway] });\n',
    );
  });

  it('fills an empty list', () => {
    expect(updated("import { x } from 'y';\ncreateApp({ gateways: [] });")).toContain(
      'gateways: [ChatGateway]',
    );
  });

  it('drops a trailing comma in a one-line list', () => {
    expect(updated("import { x } from 'y';\nf({ gateways: [A, B,] });")).toContain(
      'gateways: [A, B, ChatGateway]',
    );
  });

  it('adds one line per entry to a multi-line list, keeping indentation and trailing commas', () => {
    const source = "import { x } from 'y';\nf({\n  gateways: [\n    A,\n    B,\n  ],\n});\n";
    expect(updated(source)).toContain('  gateways: [\n    A,\n    B,\n    ChatGateway,\n  ],\n');
  });

  it('adds a comma after the last entry of a multi-line list without trailing commas', () => {
    const source = "import { x } from 'y';\nf({\n  gateways: [\n    A,\n    B\n  ]\n});\n";
    expect(updated(source)).toContain('  gateways: [\n    A,\n    B,\n    ChatGateway\n  ]\n');
  });

  it('handles a multi-line import block and double quotes', () => {
    const source = 'import {\n  createApp,\n} from "wiregate";\n\ncreateApp({ gateways: [] });\n';
    expect(updated(source)).toBe(
      'import {\n  createApp,\n} from "wiregate";\nimport { ChatGateway } from "./chat/chat.gateway";\n\n' +
        'createApp({ gateways: [ChatGateway] });\n',
    );
  });

  it('puts the import first in a file without imports', () => {
    expect(updated('f({ gateways: [] });\n')).toBe(
      "import { ChatGateway } from './chat/chat.gateway';\nf({ gateways: [ChatGateway] });\n",
    );
  });

  it('ignores brackets inside strings in the list', () => {
    const source = "import { x } from 'y';\nf({ gateways: [make(']'), B] });";
    expect(updated(source)).toContain("gateways: [make(']'), B, ChatGateway]");
  });

  it('reports a gateway already in the list', () => {
    expect(registerGateway('f({ gateways: [ChatGateway] })', CHAT)).toEqual({
      kind: 'already-registered',
    });
  });

  it('adds only the entry when the class is already imported from the same module', () => {
    const source = "import { ChatGateway } from './chat/chat.gateway';\nf({ gateways: [] });";
    expect(updated(source)).toBe(
      "import { ChatGateway } from './chat/chat.gateway';\nf({ gateways: [ChatGateway] });",
    );
  });

  it('refuses a second class of the same name from another module', () => {
    const source = "import { AppGateway } from './app.gateway';\nf({ gateways: [AppGateway] });";
    expect(
      registerGateway(source, { className: 'AppGateway', importPath: './app/app.gateway' }),
    ).toEqual({
      kind: 'unable',
      reason: "it already imports another AppGateway, from './app.gateway'",
    });
  });

  it('does not mistake a longer name for the gateway', () => {
    expect(updated("import { x } from 'y';\nf({ gateways: [ChatGatewayV1] });")).toContain(
      'gateways: [ChatGatewayV1, ChatGateway]',
    );
  });

  it.each([
    ['createApp({ gateways: list });', 'no `gateways: [ ... ]` list'],
    ['f({ gateways: [A] }); g({ gateways: [B] });', 'more than one'],
    ['f({ gateways: [A, ', 'not closed'],
  ])('gives up on %j', (source, reason) => {
    const result = registerGateway(source, CHAT);
    expect(result.kind).toBe('unable');
    expect(result.kind === 'unable' && result.reason).toContain(reason);
  });
});
