/**
 * The name of this server process, injected where a message says which server relayed it.
 * @module
 */

/** Injection token of the server's name (a string such as `a` or `b`). */
export const NODE_NAME = Symbol('NodeName');
