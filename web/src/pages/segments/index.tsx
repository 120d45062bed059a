// The segments area: its pages by path (`at` is the whole path): /segments (the list), /segments/new (the editor),
// /segments/<uuid> (a segment and its members), /segments/<uuid>/edit (its editor).
import { SegmentEditor } from './Editor.tsx';
import { SegmentList } from './List.tsx';
import { SegmentPage } from './Segment.tsx';

/** The segments area's page for path `at`. */
export function SegmentsArea({ at }: { at: string }) {
  const [, , id, action] = at.split('/');
  if (!id) return <SegmentList />;
  if (id === 'new') return <SegmentEditor />;
  if (action === 'edit') return <SegmentEditor key={`edit-${id}`} uuid={id} />;
  return <SegmentPage key={id} uuid={id} />;
}
