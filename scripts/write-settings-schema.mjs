// Rewrites web/settings-schema.js and the TrainOptions block of web/digitlab.d.ts from the
// engine's settings schema. Run after changing engine/settings.cpp (needs web/nn.wasm:
// bash scripts/build-wasm.sh): node scripts/write-settings-schema.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadDigitlab } from '../web/digitlab.js';
import { DTS, SCHEMA_MODULE, schemaModuleText, withTrainOptions } from './settings-schema-files.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const schema = (await loadDigitlab()).settingsSchema();
writeFileSync(path.join(ROOT, SCHEMA_MODULE), schemaModuleText(schema));
const dts = path.join(ROOT, DTS);
writeFileSync(dts, withTrainOptions(readFileSync(dts, 'utf8'), schema));
console.log(`wrote ${SCHEMA_MODULE} and the TrainOptions of ${DTS} (${schema.fields.length} fields)`);
