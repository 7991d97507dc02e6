import { CliError } from '../../src/cli/cli-error';
import { toNames } from '../../src/cli/names';

describe('toNames', () => {
  it.each([
    ['chat room', 'chat-room', 'ChatRoom', 'chatRoom'],
    ['ChatRoom', 'chat-room', 'ChatRoom', 'chatRoom'],
    ['chat-room', 'chat-room', 'ChatRoom', 'chatRoom'],
    ['chat_room', 'chat-room', 'ChatRoom', 'chatRoom'],
    ['chatRoom', 'chat-room', 'ChatRoom', 'chatRoom'],
    ['  Chat   Room  ', 'chat-room', 'ChatRoom', 'chatRoom'],
    ['HTTPServer', 'http-server', 'HttpServer', 'httpServer'],
    ['chat2', 'chat2', 'Chat2', 'chat2'],
    ['v2Chat', 'v2-chat', 'V2Chat', 'v2Chat'],
    ['x', 'x', 'X', 'x'],
  ])('%j -> %s / %s / %s', (raw, kebab, pascal, camel) => {
    expect(toNames(raw)).toEqual({ kebab, pascal, camel });
  });

  it('drops a trailing suffix word so files are not named chat-gateway.gateway.ts', () => {
    expect(toNames('ChatGateway', 'gateway').kebab).toBe('chat');
    expect(toNames('chat-room-gateway', 'gateway').pascal).toBe('ChatRoom');
  });

  it('keeps the suffix when it is the whole name', () => {
    expect(toNames('gateway', 'gateway').pascal).toBe('Gateway');
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['9lives', 'must start with a letter, not a digit'],
    ['-9lives', 'must start with a letter, not a digit'],
    ['---', 'needs at least one letter'],
    ['chat/room', '"/" not allowed'],
    ['chat.room', '"." not allowed'],
    ['chät', '"ä" not allowed'],
    ["a'b$c$", `"'", "$" not allowed`],
  ])('refuses %j', (raw, message) => {
    expect(() => toNames(raw)).toThrow(CliError);
    expect(() => toNames(raw)).toThrow(message);
  });
});
