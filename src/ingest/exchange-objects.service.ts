// Every object a partnership holds, in its current version, read back in the exchange format's
// normalised form (worked out again from what was received, as the importer read it). For a replay,
// which loads a whole case history into a throwaway store and then reads it back; not for pages.
import type { Kysely } from 'kysely';
import type { ActorContext } from '../access/actor-context.js';
import { throughDoor } from '../access/door.js';
import type { DB, ExchangeKind } from '../db/schema.js';
import type { NormalisedByKind } from './exchange-schema.js';
import { normaliseReceived } from './exchange-validator.js';
import * as repo from './import.repository.js';

/** The partnership's current objects of every kind. */
export interface ExchangeObjects {
  sources: NormalisedByKind['source'][];
  records: NormalisedByKind['record'][];
  relationships: NormalisedByKind['relationship'][];
  events: NormalisedByKind['event'][];
}

const PAGE = 5000;

/** Reads every current object of the partnership (the command line and jobs only). */
export async function readExchangeObjects(db: Kysely<DB>, ctx: ActorContext): Promise<ExchangeObjects> {
  return throughDoor(db, ctx, { action: 'exchange.read-all', objectType: 'partnership', objectId: ctx.partnershipId }, async ({ trx, deny, note }) => {
    if (ctx.actor.type === 'user') deny('only the command line and jobs read a whole partnership');
    const read = async <K extends ExchangeKind>(kind: K): Promise<NormalisedByKind[K][]> => {
      const out: NormalisedByKind[K][] = [];
      let after: string | null = null;
      for (;;) {
        const rows = await repo.latestVersionsPage(trx, ctx.partnershipId, kind, after, PAGE);
        for (const r of rows) {
          const n = normaliseReceived(kind, JSON.parse(r.received));
          if (n) out.push(n);
        }
        if (rows.length < PAGE) return out;
        after = rows.at(-1)!.object_key;
      }
    };
    const objects = { sources: await read('source'), records: await read('record'), relationships: await read('relationship'), events: await read('event') };
    note({ records: objects.records.length, events: objects.events.length });
    return objects;
  });
}
