import { Type } from 'typebox';
import { USER_AVAILABILITIES, USER_ROLES } from '../db/enums.ts';
import { nameSchema } from '../system/components.ts';

const Role = Type.Enum([...USER_ROLES], { description: 'admin: manages the workspace; agent: reads, and writes conversations, contacts and messages' });
const Availability = Type.Enum([...USER_AVAILABILITIES]);
const CustomStatus = Type.Union([Type.String({ maxLength: 100 }), Type.Null()], { description: 'Free text shown next to the availability (e.g. "At lunch"); GET /v1/custom_statuses lists the workspace\'s presets' });

/** A user of the workspace. */
export const UserSchema = nameSchema('User', Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  email: Type.String(),
  name: Type.String(),
  role: Role,
  availability: Availability,
  custom_status: Type.Union([Type.String(), Type.Null()]),
  has_password: Type.Boolean({ description: 'False until the user set a password from their invitation' }),
  created_at: Type.String({ format: 'date-time' }),
  updated_at: Type.String({ format: 'date-time' }),
}));

/** A one-time link (an invitation or a password reset); its token is a secret, stored only hashed. */
export const LinkSchema = nameSchema('OneTimeLink', Type.Object({
  url: Type.String({ description: '<BECKON_PUBLIC_URL>/invite/<token> or /reset-password/<token>' }),
  expires_at: Type.String({ format: 'date-time' }),
}));

/** POST /v1/users. */
export const CreateUserBody = Type.Object({
  email: Type.String({ minLength: 3, maxLength: 254 }),
  name: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
  role: Role,
  availability: Type.Optional(Availability),
}, { additionalProperties: false });

/** PATCH /v1/users/:uuid. */
export const UpdateUserBody = Type.Object({
  email: Type.Optional(Type.String({ minLength: 3, maxLength: 254 })),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' })),
  role: Type.Optional(Role),
  availability: Type.Optional(Availability),
  custom_status: Type.Optional(CustomStatus),
}, { additionalProperties: false, minProperties: 1 });

/** PATCH /v1/users/me/status. */
export const StatusBody = Type.Object({
  availability: Type.Optional(Availability),
  custom_status: Type.Optional(CustomStatus),
}, { additionalProperties: false, minProperties: 1 });

/** A workspace's preset custom status. */
export const CustomStatusSchema = nameSchema('CustomStatus', Type.Object({
  uuid: Type.String({ format: 'uuid' }),
  name: Type.String(),
  created_at: Type.String({ format: 'date-time' }),
}));

/** A new password (at least 10 characters; checked by the service so the 400 names it). */
const Password = Type.String({ maxLength: 1024 });

/** POST /v1/auth/login. */
export const LoginBody = Type.Object({ email: Type.String({ maxLength: 254 }), password: Type.String({ maxLength: 1024 }) }, { additionalProperties: false });

/** POST /v1/auth/invitations/accept. */
export const AcceptBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 200 }),
  password: Password,
  email: Type.Optional(Type.String({ maxLength: 254, description: 'Only with the bootstrap link: the first admin\'s email' })),
  name: Type.Optional(Type.String({ maxLength: 100, description: 'Only with the bootstrap link: the first admin\'s name' })),
}, { additionalProperties: false });

/** POST /v1/auth/password-reset. */
export const ResetRequestBody = Type.Object({ email: Type.String({ maxLength: 254 }) }, { additionalProperties: false });

/** POST /v1/auth/password-reset/confirm. */
export const ResetConfirmBody = Type.Object({ token: Type.String({ minLength: 1, maxLength: 200 }), password: Password }, { additionalProperties: false });
