import { Type } from 'typebox';

/** A message as a contact's message list shows it. */
export const ContactMessageSchema = Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  channel_uuid: Type.String(),
  contact_uuid: Type.String(),
  direction: Type.String({ description: 'inbound | outbound' }),
  type: Type.String(),
  content: Type.Record(Type.String(), Type.Unknown()),
  status: Type.String(),
  error: Type.Unknown(),
  metadata: Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()]),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
});
