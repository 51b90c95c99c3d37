/**
 * The sample project, and this repository's default config (`npm start`): one route that answers
 * questions about a fictional partner's figures, validated by a `zod/mini` schema and answered by a
 * TypeScript core that receives the enriched payload.
 */
import { defineConfig } from 'gatehouse';
import { InferenceRequestSchema } from './src/schema';

export default defineConfig({
  routes: {
    'POST /inference': {
      core: 'figures',
      schema: InferenceRequestSchema,
      description: "Ask about a partner's revenue, costs, margin or growth in a period.",
      example: { partner: 'Acme Corp', year: 2024, period: 'Q3', question: 'What was the revenue?' },
    },
  },
  // The local web app's main page for this project (the form and answer panel); the route console sits beside it.
  web: { panel: './web/index.tsx' },
  cores: {
    figures: {
      runtime: 'nodejs22.x',
      code: './core',
      handler: 'src/handler.handler',
      timeoutSeconds: 10,
      memoryMb: 512,
    },
  },
});
