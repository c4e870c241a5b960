// The two files made from the engine's settings schema (engine/settings.cpp, read through
// the wasm module's settingsSchema()): web/settings-schema.js, which the page imports before
// the module has loaded, and the TrainOptions block of web/digitlab.d.ts. Written by
// scripts/write-settings-schema.mjs; tests/wasm/settings-schema.test.mjs checks both are current.

export const SCHEMA_MODULE = 'web/settings-schema.js';
export const DTS = 'web/digitlab.d.ts';
const BEGIN = '// <settings-schema>';
const END = '// </settings-schema>';

export function schemaModuleText(schema) {
  return `// Generated from engine/settings.cpp by scripts/write-settings-schema.mjs: do not edit.
// The settings schema (names, types, defaults, limits, choices, help, profiles), for the page
// to use before the wasm module has loaded; tests/wasm/settings-schema.test.mjs checks it is
// what the module's settingsSchema() returns.
export const SETTINGS_SCHEMA = ${JSON.stringify(schema, null, 2)};
`;
}

function tsType(field) {
  if (field.type === 'choice') return field.choices.map((c) => `'${c}'`).join(' | ');
  return field.type === 'bool' ? 'boolean' : 'number';
}

function shown(field, value) {
  return field.type === 'choice' ? `'${value}'` : String(value);
}

function limits(field) {
  if (field.min === undefined) return '';
  return `, ${field.minOpen ? '(' : '['}${field.min}, ${field.max}${field.maxOpen ? ')' : ']'}`;
}

export function trainOptionsBlock(schema) {
  const lines = [
    `${BEGIN} generated from engine/settings.cpp by scripts/write-settings-schema.mjs: do not edit`,
    '// Every option but architecture may be left out: the engine fills it from its defaults.',
    'export interface TrainOptions {',
    '  architecture: string;  // JSON description (engine/architecture.h) or use presetArchitecture()',
  ];
  for (const field of schema.fields) {
    lines.push(`  ${field.jsName}?: ${tsType(field)};  // ${field.help}; default ${shown(field, field.default)}${limits(field)}`);
  }
  lines.push('}', END);
  return lines.join('\n');
}

// digitlab.d.ts with its generated block replaced by the current one.
export function withTrainOptions(dts, schema) {
  const start = dts.indexOf(BEGIN);
  const end = dts.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${DTS}: the ${BEGIN} ... ${END} block is missing`);
  return dts.slice(0, start) + trainOptionsBlock(schema) + dts.slice(end + END.length);
}
