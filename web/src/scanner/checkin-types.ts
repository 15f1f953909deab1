import type { components, paths } from '../api/schema';

/** The check-in shapes of the API, named for the scanner. */
type TSchemas = components['schemas'];
export type TCheckInResult = TSchemas['CheckInResult'];
export type TScanResultName = TCheckInResult['result'];
export type TSyncResult = TSchemas['SyncResult'];
export type TScannerKeys = TSchemas['ScannerKeys'];
export type TCheckInStats = TSchemas['CheckInStats'];
export type TSyncScanBody =
  paths['/api/v1/events/{id}/check-ins/sync']['post']['requestBody']['content']['application/json'][number];

/** What the scanner keeps to check codes offline: the server's keys answer, merged over time. */
export type TScannerBundle = Omit<TScannerKeys, 'isFullList'> & {
  /** When the bundle was last refreshed from the server (ISO). */
  refreshedAt: string;
};

/** A ticket this device has seen admitted (by itself, or by the server when it answered). */
export type TLocalAdmission = {
  eventId: string;
  ticketId: string;
  checkedInAt: string;
  gate: string | null;
};

/** A scan made offline, waiting to be uploaded to `/check-ins/sync`. */
export type TQueuedScan = {
  /** Random, chosen here; makes uploading the same scan twice harmless. */
  scanId: string;
  eventId: string;
  code: string;
  scannedAt: string;
  gate: string | null;
  deviceId: string;
  /** What the device told the door staff when the scan was made. */
  localResult: TScanResultName;
  ticketId: string | null;
  ticketTypeId: string | null;
};
