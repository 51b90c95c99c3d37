
import { defineConfig } from '@gatehouse/contract';
import { z } from 'zod';
import { origins } from './origins';

export default defineConfig({
  name: 'shop',
  routes: {
    'POST /orders': { core: 'orders', schema: z.object({ sku: z.string() }) },
    'GET /items/{id}': { core: 'catalog' },
    'ANY /files/{proxy+}': { core: 'catalog' },
  },
  cores: {
    orders: { runtime: 'python3.12', code: './orders', handler: 'app.handler', memoryMb: 1024 },
    catalog: { runtime: 'nodejs22.x', code: './catalog', handler: 'src/main.handle', environment: { TABLE: 'items' } },
    unused: { runtime: 'python3.13', code: './orders', handler: 'app.handler' },
  },
  origins,
});
