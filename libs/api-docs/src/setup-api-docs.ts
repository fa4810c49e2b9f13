import type { INestApplication } from '@nestjs/common';
import { SwaggerModule } from '@nestjs/swagger';
import { OPENAPI_DOCUMENT } from './openapi-document.js';

/** Serves the OpenAPI document: Swagger UI at /docs, the JSON at /docs/openapi.json. */
export function setupApiDocs(app: INestApplication): void {
  SwaggerModule.setup('docs', app, OPENAPI_DOCUMENT, { jsonDocumentUrl: 'docs/openapi.json', yamlDocumentUrl: 'docs/openapi.yaml' });
}
