import type { Client } from '@temporalio/client';
import type { Sequelize } from 'sequelize';
import type { HubConfig } from '../platform/config/schema';
import { OtaReservationIntake } from './ota';
import { OrderIntake } from './orders';
import { ReservationIntake } from './reservations';
import { ReturnIntake } from './returns';

/**
 * The hub's doors: every way work enters a process (REST, webhooks, OTA messages, pulls and
 * reconciles) goes through one of these, so a request is validated, deduplicated and started the
 * same way whoever sends it. Built once per process, here.
 */
export interface Intakes {
  /** Orders from REST, store webhooks and the store reconcile. */
  intake: OrderIntake;
  returns: ReturnIntake;
  /** Reservations from REST and room-charge webhooks. */
  reservations: ReservationIntake;
  /** Reservations pushed by an OTA or pulled from one (AlpineBits). */
  otaIntake: OtaReservationIntake;
}

export function createIntakes(client: Client, config: HubConfig, sequelize: Sequelize): Intakes {
  const intake = new OrderIntake(client, config);
  const reservations = new ReservationIntake(client, config);
  return {
    intake,
    returns: new ReturnIntake(client, config, sequelize, intake),
    reservations,
    otaIntake: new OtaReservationIntake(reservations),
  };
}
