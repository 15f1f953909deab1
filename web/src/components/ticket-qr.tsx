import { useEffect, useRef, useState } from 'react';
import { api } from '../api/client';
import { request } from '../api/errors';
import type { TTicketDetail } from '../api/ticketing';
import { ticketHolder } from './order-status-badge';
import { formatEventStart } from '../lib/event-time';
import { useApiData } from '../lib/use-api-data';

/**
 * A ticket's QR code: the PNG behind a short-lived signed URL. A URL that lapsed (the page was
 * left open) is fetched again when the image fails to load, once per failure.
 */
export function useTicketQrUrl(ticketId: string) {
  const qr = useApiData(`ticket-qr:${ticketId}`, (signal) =>
    request(api.GET('/api/v1/tickets/{id}/qr', { params: { path: { id: ticketId } }, signal })),
  );
  return { url: qr.data?.url, error: qr.error, reload: qr.reload };
}

export function TicketQrImage({
  ticket,
  className,
  size,
}: {
  ticket: TTicketDetail;
  className?: string;
  size: number;
}) {
  const { url, error, reload } = useTicketQrUrl(ticket.id);
  const [failures, setFailures] = useState(0);
  const alt = `QR code of ${ticketHolder(ticket)}'s ${ticket.ticketTypeName} ticket`;
  if (error) return <p className="qr-missing">The QR code could not be loaded: {error.message}</p>;
  if (!url) return <div className={`qr-placeholder${className ? ` ${className}` : ''}`} />;
  return (
    <img
      className={`qr-image${className ? ` ${className}` : ''}`}
      src={url}
      alt={alt}
      width={size}
      height={size}
      onError={() => {
        if (failures < 2) {
          setFailures((n) => n + 1);
          reload();
        }
      }}
    />
  );
}

/**
 * The "show at the door" view: the QR code as large as the screen allows on white, with the
 * holder's name, in a modal dialog (focus stays inside; Escape closes). It asks the phone to keep
 * the screen on while open, where the browser allows it.
 */
export function DoorView({ ticket, onClose }: { ticket: TTicketDetail; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const element = dialog.current;
    if (!element) return;
    if (!element.open) element.showModal();
    let wakeLock: { release: () => Promise<void> } | null = null;
    let isActive = true;
    const nav = navigator as Navigator & {
      wakeLock?: { request: (type: 'screen') => Promise<{ release: () => Promise<void> }> };
    };
    nav.wakeLock?.request('screen').then(
      (lock) => {
        if (isActive) wakeLock = lock;
        else void lock.release();
      },
      () => undefined,
    );
    return () => {
      isActive = false;
      void wakeLock?.release().catch(() => undefined);
      if (element.open) element.close();
    };
  }, []);

  return (
    <dialog
      ref={dialog}
      className="door-view"
      aria-labelledby="door-view-name"
      onClose={onClose}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <div className="door-view-inner">
        <TicketQrImage ticket={ticket} size={600} className="door-view-qr" />
        <p className="door-view-name" id="door-view-name">
          {ticketHolder(ticket)}
        </p>
        <p className="door-view-meta">
          {ticket.ticketTypeName} · {ticket.event.title}
          <br />
          {formatEventStart(ticket.event.startsAt, ticket.event.timezone)}
        </p>
        <p className="door-view-hint">Turn your screen brightness up for the scanner.</p>
        <button type="button" className="button button-primary" autoFocus onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
