import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { printSortedSchema } from './graphql/print-schema.js';
import { buildGraphQLSchema } from './graphql/schema.js';

/** `npm run schema`: writes the schema the code builds to schema.graphql. */
const schema = await buildGraphQLSchema();
writeFileSync(new URL('../schema.graphql', import.meta.url), printSortedSchema(schema));
process.stdout.write('schema.graphql written\n');
