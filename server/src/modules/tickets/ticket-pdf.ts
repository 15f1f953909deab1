import PDFDocument from 'pdfkit';
import { formatEventTime } from '../../lib/event-time.js';
import { ticketQrRuns } from './ticket-qr.js';

export type TTicketPdfPage = {
  eventTitle: string;
  startsAt: Date;
  endsAt: Date;
  timezone: string;
  place: string;
  attendeeName: string;
  attendeeEmail: string;
  ticketTypeName: string;
  ticketId: string;
  orderId: string;
  status: 'valid' | 'void';
  /** The ticket code, drawn as a vector QR symbol. */
  code: string;
};

/**
 * The built-in PDF fonts cover Windows-1252 only. Characters outside it are reduced to their
 * base letter where one exists (ő → o) and shown as "?" otherwise, instead of garbage glyphs.
 */
const winAnsiExtras = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function toWinAnsi(text: string): string {
  return [...text.normalize('NFC')]
    .map((ch) => {
      if (ch.charCodeAt(0) <= 0xff || winAnsiExtras.has(ch)) return ch;
      const base = ch.normalize('NFKD').replace(/[\u0300-\u036f]/g, '');
      return base.length > 0 && [...base].every((c) => c.charCodeAt(0) <= 0xff) ? base : '?';
    })
    .join('');
}

/** One A5 page per ticket: what, when (in the event's time zone), where, who, and the QR code. */
export function renderTicketPdf(pages: TTicketPdfPage[]): Promise<Buffer> {
  const doc = new PDFDocument({
    size: 'A5',
    margin: 36,
    autoFirstPage: false,
    info: { Title: 'TickItNow tickets', Producer: 'TickItNow' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  for (const page of pages) {
    doc.addPage();
    const width = doc.page.width - 72;
    doc
      .fillColor('#3b2db3')
      .font('Helvetica-Bold')
      .fontSize(11)
      .text('TICKITNOW · TICKET', { width });
    doc.moveDown(0.5).fillColor('#111111').fontSize(20).text(toWinAnsi(page.eventTitle), { width });
    doc
      .moveDown(0.4)
      .font('Helvetica')
      .fontSize(11)
      .text(toWinAnsi(formatEventTime(page.startsAt, page.endsAt, page.timezone)), { width });
    doc.moveDown(0.2).text(toWinAnsi(page.place), { width });
    doc
      .moveDown(0.8)
      .font('Helvetica-Bold')
      .fontSize(13)
      .text(toWinAnsi(page.attendeeName || page.attendeeEmail), { width });
    doc.font('Helvetica').fontSize(11).text(toWinAnsi(page.ticketTypeName), { width });
    if (page.status === 'void')
      doc
        .moveDown(0.3)
        .fillColor('#b00020')
        .font('Helvetica-Bold')
        .text('VOID — NOT VALID FOR ENTRY', { width })
        .fillColor('#111111');
    const size = 220;
    const qr = ticketQrRuns(page.code);
    const unit = size / qr.size;
    const left = (doc.page.width - size) / 2;
    const top = doc.y + 16;
    for (const run of qr.runs)
      doc.rect(left + run.x * unit, top + run.y * unit, run.width * unit, unit);
    doc.fillColor('#000000').fill();
    doc
      .font('Helvetica')
      .fontSize(8)
      .fillColor('#555555')
      .text(`Ticket ${page.ticketId} · Order ${page.orderId}`, 36, doc.page.height - 60, {
        width,
        align: 'center',
      });
  }
  doc.end();
  return done;
}
