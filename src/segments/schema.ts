import { Type } from 'typebox';
import { nameSchema } from '../system/components.ts';

const Timestamp = Type.String({ format: 'date-time' });

/** A rule tree; checked by the service so that errors name the bad node (`body.rules.all.2.op`). */
export const RulesSchema = Type.Unknown({
  description: 'A group {"all": [node, …]}, {"any": [node, …]} or {"not": node}, or a condition {"field", "op", "value"}; see docs/segments.md',
});

/** The API shape of a segment. */
export const SegmentSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  type: Type.Enum(['static', 'dynamic']),
  rules: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], { description: 'The rule tree of a dynamic segment; null for a static list' }),
  created_at: Timestamp,
  updated_at: Timestamp,
});
nameSchema('Segment', SegmentSchema);

/** Body of POST /v1/segments. */
export const CreateSegmentBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 200 }),
  type: Type.Enum(['static', 'dynamic']),
  rules: Type.Optional(RulesSchema),
}, { additionalProperties: false });

/** Body of PATCH /v1/segments/:uuid. */
export const UpdateSegmentBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  rules: Type.Optional(RulesSchema),
}, { additionalProperties: false });

/** Body of POST and DELETE /v1/segments/:uuid/contacts. */
export const SegmentContactsBody = Type.Object({
  contact_uuids: Type.Array(Type.String({ format: 'uuid' }), { minItems: 1, maxItems: 1000 }),
}, { additionalProperties: false });

/** Body of POST /v1/segments/preview. */
export const PreviewBody = Type.Object({
  rules: RulesSchema,
  sample_size: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 10, description: 'How many matching contacts to return, newest first' })),
}, { additionalProperties: false });
