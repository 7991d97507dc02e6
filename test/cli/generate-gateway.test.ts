import { MemoryFileSystem } from '../../src/cli/memory-file-system';
import { MAIN_TS, PROJECT_PACKAGE_JSON, projectFs, run } from './harness';

describe('wiregate generate gateway', () => {
  it('writes the gateway, its DTO and a spec in a sub-folder, and registers it', async () => {
    const fs = projectFs();
    const result = await run(fs, ['generate', 'gateway', 'chat room']);

    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(Object.keys(fs.snapshot())).toEqual([
      '/app/package.json',
      '/app/src/chat-room/chat-room-message.dto.ts',
      '/app/src/chat-room/chat-room.gateway.spec.ts',
      '/app/src/chat-room/chat-room.gateway.ts',
      '/app/src/main.ts',
    ]);
    expect(result.stdout.replace(/ \(\d+ bytes\)/g, '')).toBe(
      'CREATE src/chat-room/chat-room.gateway.ts\n' +
        'CREATE src/chat-room/chat-room-message.dto.ts\n' +
        'CREATE src/chat-room/chat-room.gateway.spec.ts\n' +
        'UPDATE src/main.ts\n' +
        'Registered ChatRoomGateway in src/main.ts.\n',
    );
  });

  it('prints one line per file with its size', async () => {
    const fs = projectFs();
    const { stdout } = await run(fs, ['g', 'gateway', 'chat']);
    const size = Buffer.byteLength(fs.readFile('/app/src/chat/chat.gateway.ts') ?? '');
    expect(stdout).toContain(`CREATE src/chat/chat.gateway.ts (${size} bytes)\n`);
  });

  it.each([['chat room'], ['ChatRoom'], ['chat-room'], ['chat_room'], ['ChatRoomGateway']])(
    'normalises %j to chat-room.gateway.ts and ChatRoomGateway',
    async (name) => {
      const fs = projectFs();
      expect((await run(fs, ['g', 'gateway', name])).code).toBe(0);
      expect(fs.readFile('/app/src/chat-room/chat-room.gateway.ts')).toContain(
        'export class ChatRoomGateway {',
      );
    },
  );

  it('generates a gateway that handles <name>:message with the DTO and the socket', async () => {
    const fs = projectFs();
    await run(fs, ['g', 'gateway', 'chat']);
    const gateway = fs.readFile('/app/src/chat/chat.gateway.ts');
    expect(gateway).toContain("import { ChatMessageDto } from './chat-message.dto';");
    expect(gateway).toContain('@WebSocketGateway()\n');
    expect(gateway).toContain("@SubscribeMessage('chat:message')");
    expect(gateway).toContain(
      '  handleMessage(\n    @MessageBody() message: ChatMessageDto,\n    @ConnectedSocket() socket: Socket,\n  ): ChatMessageDto {',
    );
    expect(fs.readFile('/app/src/chat/chat-message.dto.ts')).toContain(
      'export class ChatMessageDto {',
    );
    const spec = fs.readFile('/app/src/chat/chat.gateway.spec.ts');
    expect(spec).toContain("import { ChatGateway } from './chat.gateway';");
    expect(spec).toContain("describe('ChatGateway'");
  });

  it('puts --namespace into the decorator and the spec, adding a missing leading slash', async () => {
    const fs = projectFs();
    await run(fs, ['g', 'gateway', 'chat', '--namespace', 'rooms/chat']);
    expect(fs.readFile('/app/src/chat/chat.gateway.ts')).toContain(
      "@WebSocketGateway({ namespace: '/rooms/chat' })",
    );
    expect(fs.readFile('/app/src/chat/chat.gateway.spec.ts')).toContain(
      "const NAMESPACE = '/rooms/chat';",
    );
  });

  it.each([['/chat room'], ["/chat'"], ['/chat`${x}`']])(
    'refuses the namespace %j',
    async (namespace) => {
      const fs = projectFs();
      const result = await run(fs, ['g', 'gateway', 'chat', '--namespace', namespace]);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('error: Invalid namespace');
      expect(fs.exists('/app/src/chat')).toBe(false);
    },
  );

  it('writes into --path without a sub-folder with --flat, and imports it from main.ts', async () => {
    const fs = projectFs();
    await run(fs, ['g', 'gateway', 'chat', '--path', 'src/gateways', '--flat']);
    expect(fs.exists('/app/src/gateways/chat.gateway.ts')).toBe(true);
    expect(fs.readFile('/app/src/main.ts')).toContain(
      "import { ChatGateway } from './gateways/chat.gateway';",
    );
  });

  it('resolves --path from the project root, also when run in a sub-directory', async () => {
    const fs = projectFs();
    fs.mkdir('/app/src/deep/er');
    expect((await run(fs, ['g', 'gateway', 'chat'], '/app/src/deep/er')).code).toBe(0);
    expect(fs.exists('/app/src/chat/chat.gateway.ts')).toBe(true);
  });

  it('skips the spec with --no-spec', async () => {
    const fs = projectFs();
    await run(fs, ['g', 'gateway', 'chat', '--no-spec']);
    expect(fs.exists('/app/src/chat/chat.gateway.spec.ts')).toBe(false);
    expect(fs.exists('/app/src/chat/chat.gateway.ts')).toBe(true);
  });

  describe('registration in src/main.ts', () => {
    it('adds the import and the list entry', async () => {
      const fs = projectFs();
      await run(fs, ['g', 'gateway', 'chat']);
      expect(fs.readFile('/app/src/main.ts')).toBe(
        MAIN_TS.replace(
          "import { AppGateway } from './app.gateway';",
          "import { AppGateway } from './app.gateway';\nimport { ChatGateway } from './chat/chat.gateway';",
        ).replace('gateways: [AppGateway]', 'gateways: [AppGateway, ChatGateway]'),
      );
    });

    it('registers a second gateway after the first', async () => {
      const fs = projectFs();
      await run(fs, ['g', 'gateway', 'chat']);
      await run(fs, ['g', 'gateway', 'lobby']);
      expect(fs.readFile('/app/src/main.ts')).toContain(
        'gateways: [AppGateway, ChatGateway, LobbyGateway]',
      );
    });

    it('does not register twice when regenerating with --force', async () => {
      const fs = projectFs();
      await run(fs, ['g', 'gateway', 'chat']);
      const result = await run(fs, ['g', 'gateway', 'chat', '--force']);
      expect(result.stdout).toContain('ChatGateway is already in src/main.ts.');
      expect(fs.readFile('/app/src/main.ts')?.match(/ChatGateway/g)).toHaveLength(2);
    });

    it('does not confuse a new gateway with an existing class of the same name', async () => {
      const fs = projectFs();
      const result = await run(fs, ['g', 'gateway', 'app']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        "Could not register AppGateway in src/main.ts: it already imports another AppGateway, from './app.gateway'.",
      );
      expect(fs.readFile('/app/src/main.ts')).toBe(MAIN_TS);
      expect(fs.exists('/app/src/app/app.gateway.ts')).toBe(true);
    });

    it('prints what to add when main.ts has no gateway list', async () => {
      const fs = projectFs({ '/app/src/main.ts': 'createApp({ gateways: all });\n' });
      const result = await run(fs, ['g', 'gateway', 'chat']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        'Could not register ChatGateway in src/main.ts: it has no `gateways: [ ... ]` list. Add it yourself:\n' +
          "  import { ChatGateway } from './chat/chat.gateway';\n" +
          '  createApp({ gateways: [ChatGateway] })\n',
      );
      expect(fs.readFile('/app/src/main.ts')).toBe('createApp({ gateways: all });\n');
    });

    it('prints what to add when there is no main.ts', async () => {
      const bare = new MemoryFileSystem({ '/app/package.json': PROJECT_PACKAGE_JSON });
      const result = await run(bare, ['g', 'gateway', 'chat']);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(
        'Could not register ChatGateway in src/main.ts: it does not exist.',
      );
      expect(bare.exists('/app/src/main.ts')).toBe(false);
    });
  });

  describe('--dry-run', () => {
    it('prints the same plan and writes nothing', async () => {
      const fs = projectFs();
      const before = fs.snapshot();
      const result = await run(fs, ['g', 'gateway', 'chat', '--dry-run']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^CREATE src\/chat\/chat\.gateway\.ts \(\d+ bytes\)$/m);
      expect(result.stdout).toMatch(/^UPDATE src\/main\.ts \(\d+ bytes\)$/m);
      expect(result.stdout).toContain('Would register ChatGateway in src/main.ts.');
      expect(result.stdout).toContain('Dry run: nothing was written.');
      expect(fs.snapshot()).toEqual(before);
    });

    it('still reports the conflicts it would hit', async () => {
      const fs = projectFs({ '/app/src/chat/chat.gateway.ts': 'mine' });
      const result = await run(fs, ['g', 'gateway', 'chat', '--dry-run']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('src/chat/chat.gateway.ts');
    });
  });

  describe('existing files', () => {
    it('refuses to overwrite, lists every existing file and writes nothing', async () => {
      const fs = projectFs({
        '/app/src/chat/chat.gateway.ts': 'mine',
        '/app/src/chat/chat-message.dto.ts': 'mine too',
      });
      const before = fs.snapshot();
      const result = await run(fs, ['g', 'gateway', 'chat']);
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr).toBe(
        'error: These files already exist:\n  src/chat/chat.gateway.ts\n  src/chat/chat-message.dto.ts\n' +
          'Nothing was written. Use --force to overwrite them.\n',
      );
      expect(fs.snapshot()).toEqual(before);
    });

    it('overwrites with --force', async () => {
      const fs = projectFs({ '/app/src/chat/chat.gateway.ts': 'mine' });
      const result = await run(fs, ['g', 'gateway', 'chat', '--force']);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^OVERWRITE src\/chat\/chat\.gateway\.ts/m);
      expect(result.stdout).toMatch(/^CREATE src\/chat\/chat-message\.dto\.ts/m);
      expect(fs.readFile('/app/src/chat/chat.gateway.ts')).toContain('export class ChatGateway');
    });

    it('refuses even with --force when a directory is in the way', async () => {
      const fs = projectFs();
      fs.mkdir('/app/src/chat/chat.gateway.ts');
      const result = await run(fs, ['g', 'gateway', 'chat', '--force']);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('A directory is in the way: src/chat/chat.gateway.ts');
    });
  });
});
