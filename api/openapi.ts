import { z } from 'zod';
import { canonicalOrderSchema } from '../domain/orders/order';
import { ORDER_STATUSES } from '../domain/orders/status';

const errorSchema = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} },
    },
  },
};

/**
 * The OpenAPI 3.1 document. Request bodies come from the same zod schemas that validate them,
 * so the document cannot drift from what the API accepts.
 */
export function openApiDocument(): Record<string, unknown> {
  const orderInput = z.toJSONSchema(canonicalOrderSchema, { io: 'input', unrepresentable: 'any' });
  delete (orderInput as { $schema?: string }).$schema;
  const errorResponse = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  return {
    openapi: '3.1.0',
    info: {
      title: 'Crossdock API',
      version: '0.1.0',
      description:
        'Integration hub for commerce orders and hotel reservations. Every call is scoped to the tenant of its API key.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Tenant API key' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      schemas: {
        CanonicalOrder: orderInput,
        Error: errorSchema,
        OrderAccepted: {
          type: 'object',
          properties: {
            id: { type: 'string', examples: ['rest:1001'] },
            workflowId: { type: 'string' },
            status: { type: 'string' },
            duplicate: { type: 'boolean' },
          },
        },
        Order: {
          type: 'object',
          properties: {
            id: { type: 'string' },
            tenantId: { type: 'string' },
            channel: { type: 'string' },
            externalId: { type: 'string' },
            status: { type: 'string', enum: [...ORDER_STATUSES] },
            rejection: {
              type: 'object',
              properties: { type: { type: 'string' }, reasons: { type: 'array', items: { type: 'string' } } },
            },
            allocations: { type: 'array', items: { type: 'object' } },
            labels: { type: 'array', items: { type: 'object' } },
            timeline: { type: 'array', items: { type: 'object' } },
          },
        },
      },
    },
    security: [{ bearer: [] }, { apiKey: [] }],
    paths: {
      '/health': {
        get: {
          summary: 'Health of Temporal, the database and storage',
          security: [],
          responses: {
            '200': { description: 'All dependencies answer' },
            '503': { description: 'A dependency is down' },
          },
        },
      },
      '/v1/orders': {
        post: {
          summary: 'Submit an order',
          description:
            'Starts the order workflow. Posting the same channel and externalId again returns the existing order.',
          requestBody: {
            required: true,
            content: { 'application/json': { schema: { $ref: '#/components/schemas/CanonicalOrder' } } },
          },
          responses: {
            '202': {
              description: 'Accepted; processing started',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderAccepted' } } },
            },
            '200': {
              description: 'Already accepted earlier (duplicate)',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/OrderAccepted' } } },
            },
            '400': errorResponse('Invalid order, with the reasons'),
            '401': errorResponse('Missing or unknown API key'),
          },
        },
      },
      '/v1/orders/{id}': {
        get: {
          summary: 'Order state and timeline',
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string' },
              description: '`channel:externalId`',
            },
          ],
          responses: {
            '200': {
              description: 'The order',
              content: { 'application/json': { schema: { $ref: '#/components/schemas/Order' } } },
            },
            '404': errorResponse('No such order for this tenant'),
          },
        },
      },
    },
  };
}
