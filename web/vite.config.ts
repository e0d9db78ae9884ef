import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// The C++ server serves web/dist with an SPA fallback; assets live under /assets/ with hashed names.
// In development, /api is proxied to the server (override with AFTERSALES_API).
const apiTarget = process.env.AFTERSALES_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  base: '/',
  build: {
    outDir: 'dist',
    assetsDir: 'assets',
    emptyOutDir: true,
    sourcemap: false,
    chunkSizeWarningLimit: 700,
    rollupOptions: {
      output: {
        // the pinyin dictionary is only ever imported lazily (intake pickers): give its chunk a name
        manualChunks: (id: string) => (id.includes('/node_modules/pinyin-pro/') ? 'pinyin' : undefined),
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/api': { target: apiTarget, changeOrigin: false },
    },
  },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'node',
  },
});
