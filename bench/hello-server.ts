/**
 * Baseline H: the smallest Fastify server on the same Node, so every API figure can be read as
 * a fraction of what this machine's Node and HTTP stack can do at all.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/', () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env['PORT'] ?? 3999) });
process.stdout.write('ready\n');
