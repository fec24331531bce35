// Vite config of the web app: React, root web/, built into web/dist (served by Parley, see
// src/http/web-app.ts). `npx vite web` serves it with /api proxied to a running Parley.

import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));
const parley = process.env['PARLEY_URL'] ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root,
  plugins: [react()],
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, assetsDir: 'assets', sourcemap: false, target: 'es2022' },
  server: { proxy: { '/api': { target: parley, ws: true, changeOrigin: false } } },
});
