import { createRequire } from 'node:module';
import type { TSchema } from 'typebox';
import type { Validator } from 'typebox/compile';

// typebox/compile brings TypeBox's schema engine and its value operations (~310 files on top of the type builders
// every route needs), used only by the checks of a contact batch or an import and of custom events: it is required on
// the first check, not at start.
const require = createRequire(import.meta.url);

/** A getter of `schema`'s compiled TypeBox validator, compiled (and typebox/compile loaded) on its first call. */
export function compileOnUse<const Type extends TSchema>(schema: Type): () => Validator<{}, Type> {
  let validator: Validator<{}, Type> | undefined;
  return () => (validator ??= (require('typebox/compile') as typeof import('typebox/compile')).Compile<Type, Validator<{}, Type>>(schema));
}
