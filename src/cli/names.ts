/**
 * Turns what a user types as a name (`chat room`, `ChatRoom`, `chat-room`, `chat_room`)
 * into the spellings generated files need.
 * @module
 */
import { CliError } from './cli-error';

/** The spellings of one name. */
export interface Names {
  /** `chat-room`: file and folder names. */
  readonly kebab: string;
  /** `ChatRoom`: class names. */
  readonly pascal: string;
  /** `chatRoom`: variables and properties. */
  readonly camel: string;
}

const ALLOWED = /^[A-Za-z0-9 _-]+$/;

/**
 * Validates `raw` and splits it into words on spaces, `-`, `_` and case changes.
 * A trailing `suffix` word (`ChatGateway` for a gateway) is dropped so that files are not
 * named `chat-gateway.gateway.ts`.
 *
 * @example
 * toNames('chat room').pascal; // 'ChatRoom'
 * toNames('ChatGateway', 'gateway').kebab; // 'chat'
 * @throws CliError when the name is empty, starts with a digit or has other characters
 *   than ASCII letters, digits, spaces, `-` and `_`.
 */
export function toNames(raw: string, suffix?: string): Names {
  const words = splitWords(checkName(raw));
  if (suffix !== undefined && words.length > 1 && words[words.length - 1] === suffix) words.pop();
  const pascal = words.map((w) => w[0].toUpperCase() + w.slice(1)).join('');
  return { kebab: words.join('-'), pascal, camel: pascal[0].toLowerCase() + pascal.slice(1) };
}

function checkName(raw: string): string {
  const name = raw.trim();
  if (name === '') throw new CliError('The name must not be empty.');
  if (!ALLOWED.test(name)) {
    const bad = [...new Set(name.replace(/[A-Za-z0-9 _-]/g, ''))].map((c) => JSON.stringify(c));
    throw new CliError(
      `Invalid name "${raw}": ${bad.join(', ')} not allowed. Use letters, digits, spaces, "-" or "_".`,
    );
  }
  const first = name.replace(/^[ _-]+/, '');
  if (first === '') throw new CliError(`Invalid name "${raw}": it needs at least one letter.`);
  if (/^[0-9]/.test(first)) {
    throw new CliError(`Invalid name "${raw}": it must start with a letter, not a digit.`);
  }
  return first;
}

function splitWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2') // chatRoom -> chat Room
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2') // HTTPServer -> HTTP Server
    .split(/[ _-]+/)
    .filter((w) => w !== '')
    .map((w) => w.toLowerCase());
}
