import { Type } from 'typebox';
import { nameSchema } from '../system/components.ts';

const Name = Type.String({ minLength: 1, maxLength: 100 });

/** A funnel stage as the API answers it. */
export const StageSchema = nameSchema('FunnelStage', Type.Object({ uuid: Type.String({ format: 'uuid' }), name: Type.String(), position: Type.Integer() }));

/** A funnel (pipeline) with its ordered stages. */
export const FunnelSchema = nameSchema('Funnel', Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  stages: Type.Array(StageSchema),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}));

const StageInput = Type.Object({
  uuid: Type.Optional(Type.String({ format: 'uuid', description: 'An existing stage of this funnel (PATCH): kept, renamed and moved' })),
  name: Name,
}, { additionalProperties: false });

/** POST /v1/funnels: a name and the stages in order. */
export const CreateFunnelBody = Type.Object({ name: Name, stages: Type.Array(StageInput, { minItems: 1, maxItems: 50 }) }, { additionalProperties: false });

/** PATCH /v1/funnels/:uuid: the name and/or the whole new list of stages. */
export const UpdateFunnelBody = Type.Object({ name: Type.Optional(Name), stages: Type.Optional(Type.Array(StageInput, { minItems: 1, maxItems: 50 })) }, { additionalProperties: false, minProperties: 1 });
