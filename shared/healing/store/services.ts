import type { Db } from "../../db/client.ts";
import type { Clock, Logger } from "../../logger.ts";

/** Where the healing records live: attempts and models in D1, examples in R2, the active model in KV. */
export type HealingStores = { db: Db; artifacts: R2Bucket; cache: KVNamespace };

/** The stores plus what use cases need to log background failures and read the time. */
export type HealingServices = HealingStores & { logger: Logger; clock: Clock };
