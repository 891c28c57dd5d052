import type { PurgeKind } from '../models/purge-plan.js';
import type { PurgeRequest, PurgeRequestStatus } from '../models/purge-request.js';
import { message, type Status, type Text } from './presentation.js';

/** What a purge removes, table by table in the plan's order, in the reader's words ("Konta klientów: 3"). */
export function purgeCountRows(counts: Readonly<Record<string, number>>): Array<{ table: string; label: Text; count: number }> {
  return Object.entries(counts).map(([table, count]) => ({ table, label: message(`purge:tables.${table}`), count }));
}

export function purgeKindText(kind: PurgeKind): Text {
  return message(`purge:kinds.${kind}`);
}

const tones: Record<PurgeRequestStatus, Status['tone']> = { requested: 'waiting', run: 'success', cancelled: 'neutral' };

export function purgeStatus(status: PurgeRequestStatus): Status {
  return { label: message(`purge:statuses.${status}`), tone: tones[status] };
}

/** How a request names its target: its name or number while it exists, else its kind and id (a purged target keeps no name). */
export function purgeTargetText(request: Pick<PurgeRequest, 'kind' | 'targetId'>, labels: ReadonlyMap<string, string>): Text {
  return labels.get(`${request.kind}:${request.targetId}`) ?? message('purge:removedTarget', { id: request.targetId });
}

/** The route of a target's own page, while it exists. */
export function purgeTargetPage(request: Pick<PurgeRequest, 'kind' | 'targetId'>): { route: string; parameters: Record<string, number> } {
  if (request.kind === 'customer') return { route: 'staff.customers.show', parameters: { customerId: request.targetId } };
  if (request.kind === 'ticket') return { route: 'staff.tickets.show', parameters: { ticketId: request.targetId } };
  return { route: 'admin.ledgerEntries.show', parameters: { entryId: request.targetId } };
}
