// Vite builds web/ into web/dist (src/web/build.ts runs it at install and
// start). `npx vite web` serves it for development with the API proxied.
import { defineConfig } from 'vite';

export default defineConfig({
  build: { target: 'es2022', sourcemap: true, assetsInlineLimit: 0 },
  server: { proxy: { '/v1': 'http://localhost:3000', '/healthz': 'http://localhost:3000' } },
});
