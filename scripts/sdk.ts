// `npm run sdk`: regenerates sdk/src/schema.ts (the SDK's types) from the OpenAPI document of an in-process app.
// test/sdk.test.ts fails when the committed file differs.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { openApiDocument, SDK_SCHEMA_FILE, sdkSchemaSource } from './sdk-schema.ts';

const source = await sdkSchemaSource(await openApiDocument());
writeFileSync(resolve(import.meta.dirname, '..', SDK_SCHEMA_FILE), source);
process.stdout.write(`wrote ${SDK_SCHEMA_FILE}: ${source.split('\n').length} lines\n`);
