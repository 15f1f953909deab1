import QRCode from 'qrcode';

/**
 * The QR PNG for a ticket code: error correction M and a wide quiet zone, large enough to scan
 * from a phone screen at arm's length or from paper.
 */
export function renderTicketQr(code: string): Promise<Buffer> {
  return QRCode.toBuffer(code, {
    type: 'png',
    errorCorrectionLevel: 'M',
    margin: 4,
    scale: 8,
    color: { dark: '#000000', light: '#ffffff' },
  });
}
