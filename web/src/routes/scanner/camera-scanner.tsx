import { useEffect, useRef, useState } from 'react';
import { decodeQrFromImageData } from '../../scanner/qr-decode';

/** Frames are decoded at most this often; enough for a held-up phone, light on a slow one. */
const FRAME_INTERVAL_MS = 150;
/** Frames are scaled to this width before decoding: QR codes on tickets stay readable. */
const DECODE_WIDTH = 640;

type TCameraState =
  | { status: 'off' }
  | { status: 'starting' }
  | { status: 'on' }
  | { status: 'failed'; message: string };

function describeCameraError(error: unknown): string {
  const name = error instanceof DOMException ? error.name : '';
  if (name === 'NotAllowedError')
    return 'The camera is blocked. Allow camera access for this site, or scan from a photo.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError')
    return 'No camera was found. Type the code or scan from a photo instead.';
  if (name === 'NotReadableError')
    return 'The camera is in use by another app. Close it and try again.';
  if (!navigator.mediaDevices?.getUserMedia)
    return 'This browser cannot use the camera here (it needs a secure https address).';
  return 'The camera could not start. Type the code or scan from a photo instead.';
}

/**
 * The live camera view: the back camera's frames go through the QR decoder, and every code found
 * is handed to `onCode` (which debounces repeats). The camera runs only while switched on.
 */
export function CameraScanner({ onCode }: { onCode: (code: string) => void }) {
  const [state, setState] = useState<TCameraState>({ status: 'off' });
  const videoRef = useRef<HTMLVideoElement>(null);
  const onCodeRef = useRef(onCode);
  const isOn = state.status === 'starting' || state.status === 'on';

  useEffect(() => {
    onCodeRef.current = onCode;
  });

  useEffect(() => {
    const video = videoRef.current;
    if (!isOn || !video) return;
    let isActive = true;
    let stream: MediaStream | null = null;
    let wakeLock: WakeLockSentinel | null = null;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const canvas = document.createElement('canvas');
    const context = canvas.getContext('2d', { willReadFrequently: true });

    async function readFrame() {
      if (!isActive || !video || !context) return;
      if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
        const scale = Math.min(1, DECODE_WIDTH / video.videoWidth);
        canvas.width = Math.round(video.videoWidth * scale);
        canvas.height = Math.round(video.videoHeight * scale);
        context.drawImage(video, 0, 0, canvas.width, canvas.height);
        const code = await decodeQrFromImageData(
          context.getImageData(0, 0, canvas.width, canvas.height),
        );
        if (code && isActive) onCodeRef.current(code);
      }
      if (isActive) timer = setTimeout(() => void readFrame(), FRAME_INTERVAL_MS);
    }

    async function start() {
      try {
        stream = await navigator.mediaDevices.getUserMedia({
          video: { facingMode: 'environment', width: { ideal: 1280 }, height: { ideal: 720 } },
          audio: false,
        });
        if (!isActive || !video) return;
        video.srcObject = stream;
        await video.play();
        if (!isActive) return;
        setState({ status: 'on' });
        void readFrame();
        // A phone that dims its screen mid-queue loses the camera; keep it awake while scanning.
        wakeLock = (await navigator.wakeLock?.request('screen').catch(() => null)) ?? null;
        if (!isActive) void wakeLock?.release();
      } catch (error) {
        if (isActive) setState({ status: 'failed', message: describeCameraError(error) });
      }
    }

    void start();
    return () => {
      isActive = false;
      clearTimeout(timer);
      for (const track of stream?.getTracks() ?? []) track.stop();
      void wakeLock?.release().catch(() => undefined);
      video.srcObject = null;
    };
  }, [isOn]);

  return (
    <section className="scanner-camera" aria-labelledby="camera-heading">
      <h2 id="camera-heading" className="visually-hidden">
        Camera
      </h2>
      <div className={`scanner-video-frame${isOn ? '' : ' scanner-video-off'}`}>
        <video ref={videoRef} muted playsInline aria-label="Camera view" />
        {isOn ? <span className="scanner-aim" aria-hidden="true" /> : null}
      </div>
      {state.status === 'failed' ? (
        <p className="notice notice-error" role="alert">
          {state.message}
        </p>
      ) : null}
      <button
        type="button"
        className={`button ${isOn ? 'button-secondary' : 'button-primary'} scanner-camera-toggle`}
        onClick={() => setState(isOn ? { status: 'off' } : { status: 'starting' })}
      >
        {isOn ? 'Stop camera' : 'Start camera'}
      </button>
      {state.status === 'on' ? (
        <p className="muted scanner-hint">Hold the ticket&apos;s QR code inside the frame.</p>
      ) : null}
    </section>
  );
}
