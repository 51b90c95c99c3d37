/**
 * A project config with several routes and cores, synthesised: one API route per config route on
 * the one edge, each core deployed by its runtime, and the edge allowed to invoke exactly those.
 * The config is loaded from a real `gatehouse.config.ts` through the app's loader.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadProjectConfig } from '@gatehouse/bundler';
import {
  EDGE_METRICS,
  edgeMetricService,
  PROJECT_DEFAULTS,
  ProjectConfigError,
  readEdgeEnvironment,
} from '@gatehouse/contract';
import { emfFields } from '@gatehouse/edge';
import { Stack } from 'aws-cdk-lib';
import type { Template } from 'aws-cdk-lib/assertions';
import { Code } from 'aws-cdk-lib/aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GatehouseApi } from '../src/gatehouse-api';
import { ENV, synthChecked, testApp } from './synth';

// Inside the package, so the config's `import … from '@gatehouse/contract'` and `zod` resolve as in a project.
const dir = mkdtempSync(path.join(fileURLToPath(new URL('.', import.meta.url)), '.project-'));
const CONFIG = `
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
`;

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('GatehouseApi from a project config', () => {
  let template: Template;
  beforeAll(async () => {
    // Prepare: a project folder with a Python and a Node core
    mkdirSync(path.join(dir, 'orders'));
    writeFileSync(path.join(dir, 'orders', 'app.py'), 'def handler(event, context):\n    return {"ok": True}\n');
    mkdirSync(path.join(dir, 'catalog', 'src'), { recursive: true });
    writeFileSync(path.join(dir, 'catalog', 'src', 'main.ts'), 'export const handle = async () => ({ ok: true });\n');
    writeFileSync(path.join(dir, 'origins.ts'), "export const origins = ['https://shop.example.com'];\n");
    const configFile = path.join(dir, 'gatehouse.config.ts');
    writeFileSync(configFile, CONFIG);
    // Act
    const project = (await loadProjectConfig(configFile)).resolved;
    const app = testApp();
    const stack = new Stack(app, 'Shop', { env: ENV });
    new GatehouseApi(stack, 'Gatehouse', {
      project,
      configFile,
      edgeCode: Code.fromInline('export const handler = async () => ({ statusCode: 200 });'),
    });
    [template] = synthChecked(app, [stack]) as [Template];
  }, 120_000);

  it('loads the config file and leaves no compiled copy behind', () => {
    expect(readdirSync(dir).filter((f) => f.endsWith('.mjs'))).toEqual([]);
  });

  it('serves one route per config route, greedy path included, all on the edge', () => {
    const routes = Object.values(template.findResources('AWS::ApiGatewayV2::Route'));
    expect(routes.map((r) => r.Properties.RouteKey).sort()).toEqual(
      ['ANY /files/{proxy+}', 'GET /items/{id}', 'POST /orders'].sort(),
    );
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      Name: 'shop',
      CorsConfiguration: { AllowOrigins: ['https://shop.example.com'] },
    });
  });

  it('deploys each used core by its runtime, and no unused one', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'python3.12',
      Handler: 'app.handler',
      MemorySize: 1024,
      Architectures: ['arm64'],
      LoggingConfig: { LogFormat: 'JSON' },
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Handler: 'index.handle',
      Environment: { Variables: { TABLE: 'items' } },
    });
    template.resourcePropertiesCountIs('AWS::Lambda::Function', { Runtime: 'python3.13' }, 0);
    // the edge, orders, catalog
    template.resourceCountIs('AWS::Lambda::Function', 3);
  });

  it('lets the edge invoke exactly each core and its qualifiers, and names them in CORE_TARGETS', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap((p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>)
      .filter((s) => JSON.stringify(s.Action).includes('lambda:'));
    expect(statements).toHaveLength(1);
    const resources = JSON.stringify(statements[0]?.Resource);
    for (const core of ['orders', 'catalog']) {
      expect(resources).toMatch(new RegExp(`GatehouseCore${core}[A-F0-9]+","Arn"\\]\\}(,|\\])`));
      expect(resources).toMatch(new RegExp(`GatehouseCore${core}[A-F0-9]+","Arn"\\]\\},":\\*"`));
    }
    expect(resources).not.toContain('unused');
    const edge = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.CORE_TARGETS !== undefined,
    );
    const targets = JSON.stringify(edge?.Properties.Environment.Variables.CORE_TARGETS);
    expect(targets).toMatch(/"orders=",\{"Fn::GetAtt":\["GatehouseCoreorders[A-F0-9]+","Arn"\]\},",catalog=",/);
    expect(edge?.Properties.Environment.Variables.TARGET_LAMBDA_NAME).toBeUndefined();
  });

  it("writes the edge's environment through the contract, so the edge reads back exactly the project's settings", () => {
    // Act: the edge's own reader over what the construct wrote (function ARNs stand in for tokens)
    const edge = Object.values(template.findResources('AWS::Lambda::Function')).find(
      (f) => f.Properties.Environment?.Variables?.CORE_TARGETS !== undefined,
    );
    const variables = edge?.Properties.Environment.Variables as Record<string, unknown>;
    const written = Object.fromEntries(
      Object.entries(variables).map(([k, v]) => [k, typeof v === 'string' ? v : 'orders=fn-orders,catalog=fn-catalog']),
    );
    const settings = readEdgeEnvironment(written);

    // Assess
    expect(settings).toMatchObject({
      allowedOrigins: ['https://shop.example.com'],
      authMode: 'cognito',
      requiredTokenUse: 'id',
      coreTimeoutMs: PROJECT_DEFAULTS.coreTimeoutMs,
      maxBodyBytes: PROJECT_DEFAULTS.maxBodyBytes,
      logLevel: 'info',
    });
  });

  it('alarms on and graphs the metric dimensions the edge writes for this project, not another', () => {
    // Prepare: what the edge writes for a project named "shop"
    const service = edgeMetricService('shop');
    const emf = JSON.stringify(emfFields({ service, outcome: 'core_timeout', coreLatencyMs: 5, timestamp: 0 }));

    // Act
    const watched = Object.values(template.findResources('AWS::CloudWatch::Alarm'))
      .flatMap((a) => (a.Properties.Metrics ?? []) as Array<{ MetricStat?: { Metric: Record<string, unknown> } }>)
      .map((m) => m.MetricStat?.Metric)
      .filter((m): m is Record<string, unknown> => m?.Namespace === EDGE_METRICS.namespace);
    const dashboard = JSON.stringify(
      Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]?.Properties.DashboardBody,
    );

    // Assess
    expect(watched.length).toBeGreaterThan(0);
    for (const metric of watched) {
      expect(metric.MetricName).toBe(EDGE_METRICS.requests);
      expect(metric.Dimensions).toContainEqual({ Name: 'Service', Value: service });
      expect(emf).toContain(`"Service":"${service}"`);
    }
    expect(dashboard).toContain(`\\"Service\\",\\"${service}\\"`);
    expect(dashboard).not.toContain('gatehouse-edge');
  });
});

describe('loadProjectConfig, as the app uses it', () => {
  it('names every problem of a wrong config, and the file', async () => {
    const file = path.join(dir, 'wrong.config.ts');
    writeFileSync(file, "export default { routes: { 'POST /x': { core: 'nope' } }, cores: {} };\n");
    await expect(loadProjectConfig(file)).rejects.toThrow(ProjectConfigError);
    await expect(loadProjectConfig(file)).rejects.toThrow(/wrong\.config\.ts[\s\S]*routes\["POST \/x"\]\.core/);
  });

  it('says when the file is missing', async () => {
    await expect(loadProjectConfig(path.join(dir, 'absent.ts'))).rejects.toThrow(/No gatehouse config at .*absent\.ts/);
  });
});
