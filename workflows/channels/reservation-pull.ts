import type { OtaActivities } from '../../activities';
import { partners } from '../shared/activities';
import type { OtaReservationPullInput } from './contract';

/**
 * One pull of a channel's reservations (a Temporal Schedule per pull connection): read,
 * take over, acknowledge. Runs never overlap; a run that fails leaves the reservations
 * unacknowledged at the channel, so the next run reads them again.
 */
export async function otaReservationPull(
  input: OtaReservationPullInput,
): ReturnType<OtaActivities['pullOtaReservations']> {
  return partners.ota(input.connectorId, 'reservationPull').pullOtaReservations(input);
}
