import type { Db } from '../db/connect.ts';
import { AppError } from '../errors.ts';
import type { OutboundTemplate } from '../providers/types.ts';

/** Until the templates domain lands: every template is unknown (404 naming body.template_uuid). */
export async function resolveTemplateSend(_db: Db, _workspaceId: string, _templateUuid: string, _values: string[] | Record<string, string>, _path: string): Promise<OutboundTemplate> {
  throw new AppError(404, 'not_found', 'template not found', [{ path: 'body.template_uuid', message: 'no such template in this workspace' }]);
}
