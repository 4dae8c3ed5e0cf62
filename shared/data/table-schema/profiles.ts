// The official Table Schema profiles (vendored verbatim in shared/schemas/frictionless/), as checked here.
import v1Profile from '../../schemas/frictionless/tableschema.v1.json' with { type: 'json' };
import v2Profile from '../../schemas/frictionless/tableschema.json' with { type: 'json' };

export const PROFILE_V1_URL = 'https://datapackage.org/profiles/1.0/tableschema.json';
export const PROFILE_V2_URL = 'https://datapackage.org/profiles/2.0/tableschema.json';

/** The profile's field branches, one per type (`properties.fields.items.oneOf`). */
export interface ProfileShape {
  properties: { fields: { items: { oneOf: Array<{ properties: { type: { enum: string[] } } }> } } };
}

/**
 * The v2 profile with its two known slips mended, each against the spec's text: `fieldsMatch` is typed
 * there as an array ("MUST be a string with the following possible values"), and it has no branch for the
 * `list` type that the spec defines. Both are checked by descriptor.ts's own schema instead.
 */
export const tableSchemaProfileV2 = ((): object => {
  const profile = structuredClone(v2Profile) as unknown as { properties: Record<string, unknown> & ProfileShape['properties'] };
  delete profile.properties.fieldsMatch;
  const listBranch = { type: 'object', required: ['name', 'type'], properties: { name: { type: 'string' }, type: { enum: ['list'] } } };
  profile.properties.fields.items.oneOf = [...profile.properties.fields.items.oneOf, listBranch];
  return { ...profile, $id: 'https://datapackage.org/profiles/2.0/tableschema.json#mended' };
})();

export const tableSchemaProfileV1: object = { ...v1Profile, $id: PROFILE_V1_URL };

/** How the profiles are compiled: they carry annotation keywords of their own (propertyOrder, context), so not strict. */
export const PROFILE_AJV_OPTIONS = { strict: false, allErrors: false, validateFormats: false, code: { optimize: false } } as const;
