// Why: a camera source's failure in plain words — the typed error code of a connection test or of a camera's last
// stream error becomes a title and what to check; decided by the code alone, never by reading the server's message.
import type { ClientErrorCode, ErrorCode, SourceKind } from '../../api/types';

export interface SourceHint {
  /** One line: what went wrong. */
  title: string;
  /** What to check or do about it. */
  hint: string;
}

type Code = ErrorCode | ClientErrorCode;

/** Hints that hold for every kind of source. */
const COMMON: Partial<Record<Code, SourceHint>> = {
  SOURCE_NOT_FOUND: {
    title: 'No stream at that path',
    hint:
      "The camera answered, but has no stream at that path — check the path part of the URL in the camera's manual, " +
      'e.g. /stream1 or /Streaming/Channels/101.',
  },
  SOURCE_UNAUTHORIZED: {
    title: 'The camera refused the user name or password',
    hint: 'Check both (they are case-sensitive) under Credentials. Some cameras lock an account for a while after several wrong tries.',
  },
  SOURCE_UNREACHABLE: {
    title: 'Nothing answered at that address',
    hint: 'Check the IP address and port (RTSP is usually 554), that the camera is on, and that it is on a network this computer reaches.',
  },
  CODEC_UNSUPPORTED: {
    title: 'The camera sends a codec Vigil cannot record',
    hint: "Vigil records H.264 and H.265. Set the stream's video encoding to H.264 in the camera's settings (the details say what it sends).",
  },
  NO_VIDEO: {
    title: 'The camera sends no video',
    hint: "The stream at that address has no video track (it may be audio or metadata only) — try the camera's main stream path.",
  },
  SOURCE_NOT_RESPONDING: {
    title: 'The camera took the connection but stopped answering',
    hint:
      'Its RTSP service may be hung or busy (some cameras allow only a few clients): restart the camera, close other viewers, ' +
      'and check that the port is its RTSP port. The details say which request went unanswered.',
  },
  SOURCE_INTERRUPTED: {
    title: 'The stream stopped',
    hint: 'The camera connected but stopped sending video, or nothing arrived for a while (a restart, a network drop). Vigil keeps retrying.',
  },
  SOURCE_INVALID: {
    title: 'The answer is not a video stream Vigil can read',
    hint: "Check that the URL is the camera's RTSP stream and not its web page, and that the port is the RTSP port.",
  },
  SOURCE_REPLY_TOO_LARGE: {
    title: 'The camera sent a reply far too large',
    hint: 'It answered with over 1 MiB where a few KiB are normal; Vigil refuses that. This is a broken device or not a camera.',
  },
  SOURCE_REORDER_DEEPER: {
    title: 'The camera reorders frames more than it declares',
    hint: 'It sends B-frames in a deeper order than its stream settings say. Vigil reconnected using the order it saw; if this keeps coming back, turn off "smart codec" or B-frames in the camera.',
  },
  STREAM_NOT_READY: {
    title: 'The camera is not sending to Vigil right now',
    hint: 'A push camera connects to Vigil: check that the publish URL and stream key shown here are set in the camera, and that it is on.',
  },
  CONCURRENT_LIMIT_EXCEEDED: {
    title: 'Too many cameras streaming at once',
    hint: 'Vigil runs at most VIGIL_MAX_CONCURRENT cameras at a time; stop another camera or raise the limit.',
  },
  NETWORK_ERROR: {
    title: 'Vigil itself did not answer',
    hint: 'The request to Vigil failed (is it still running?); try again.',
  },
};

/** A file source fails for file reasons, not network ones. */
const FILE: Partial<Record<Code, SourceHint>> = {
  SOURCE_UNREACHABLE: {
    title: 'The file cannot be opened',
    hint: 'Check that the path exists on the computer running Vigil and that Vigil may read it.',
  },
  SOURCE_INVALID: {
    title: 'The file is not a video Vigil can read',
    hint: 'Use an MP4, MKV or similar file with H.264 or H.265 video.',
  },
};

/** An ONVIF camera is reached through its ONVIF service first. */
const ONVIF: Partial<Record<Code, SourceHint>> = {
  SOURCE_UNREACHABLE: {
    title: 'Nothing answered at that ONVIF address',
    hint: "Check the address and port of the camera's ONVIF service (often 80, 8000 or 8080), that the camera is on, and that ONVIF is enabled in its settings.",
  },
  SOURCE_INVALID: {
    title: 'That address is not an ONVIF service',
    hint: "Something answered, but not ONVIF: check the port (the camera's web page may be on another one).",
  },
  SOURCE_UNAUTHORIZED: {
    title: 'The camera refused the user name or password',
    hint: 'Many cameras keep a separate ONVIF user list: check that this user exists there and may use ONVIF.',
  },
  NO_VIDEO: {
    title: 'The camera offers no video profile',
    hint: 'Its ONVIF service lists no stream; add a media profile in the camera, or add it by RTSP URL.',
  },
};

/** What a source error code means, for a source of `kind`. Unknown codes get a general line. */
export function sourceHint(code: Code | string | null | undefined, kind: SourceKind | null = null): SourceHint {
  const c = (code ?? '') as Code;
  const specific = kind === 'file' ? FILE[c] : kind === 'onvif' ? ONVIF[c] : undefined;
  return (
    specific ??
    COMMON[c] ?? {
      title: 'The camera could not be read',
      hint: 'The details below say what the server reported.',
    }
  );
}

/** Whether a camera status comes with a last error worth explaining. */
export const statusHasError = (status: string): boolean => status === 'error' || status === 'reconnecting';
