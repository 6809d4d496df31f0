import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';
import { VitePWA } from 'vite-plugin-pwa';

const backend = process.env.BACKEND ?? 'http://127.0.0.1:8787';

export default defineConfig({
  plugins: [
    solid(),
    VitePWA({
      // never reload a half-filled form by ourselves: the app shows an "update ready" toast
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/apple-touch-icon.png'],
      manifest: {
        id: '/',
        name: '涉企检查协同平台',
        short_name: '涉企检查',
        description: '阳泉市涉企行政检查协同平台：年度检查计划、扫码入企、入企记录与执法监督',
        lang: 'zh-CN',
        dir: 'ltr',
        theme_color: '#0b4f8a',
        background_color: '#f4f6f9',
        display: 'standalone',
        start_url: '/',
        scope: '/',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        // the scanner (html5-qrcode and the zxing-cpp .wasm, ~1.3 MB) is precached too: an inspector's
        // phone must check in offline even if it never scanned online before
        globPatterns: ['**/*.{js,css,html,png,svg,webmanifest,wasm,ttf}'],
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
        navigateFallback: 'index.html',
        navigateFallbackDenylist: [/^\/api\//, /^\/sync\//, /^\/healthz/, /^\/metrics/],
        cleanupOutdatedCaches: true,
      },
      devOptions: { enabled: false },
    }),
  ],
  server: {
    proxy: {
      '/api': { target: backend, changeOrigin: false },
      '/sync': { target: backend.replace(/^http/, 'ws'), ws: true },
      '/healthz': { target: backend },
    },
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    chunkSizeWarningLimit: 600,
  },
});
