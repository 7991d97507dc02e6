/**
 * (b) socket.io 4.8 with the bare handlers.
 * @module
 */
import { Server } from 'socket.io';
import { startBare, type IoLike } from './bare';
import { serve, versionOf } from './harness';

serve(() => startBare((http, opts) => new Server(http, opts) as unknown as IoLike, `socket.io ${versionOf('socket.io')}`));
