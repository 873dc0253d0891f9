// Why: proves a source failure is explained by its typed code alone — a wrong path, a refused password, nothing there,
// a codec Vigil cannot record — with file sources worded for files, and an unknown code still getting a sentence.
import { describe, expect, it } from 'vitest';
import { sourceHint, statusHasError } from './sourceHints';

describe('sourceHint', () => {
  it('words the four common RTSP failures plainly', () => {
    expect(sourceHint('SOURCE_NOT_FOUND', 'rtsp').title).toBe('No stream at that path');
    expect(sourceHint('SOURCE_NOT_FOUND', 'rtsp').hint).toContain('check the path part of the URL');
    expect(sourceHint('SOURCE_UNAUTHORIZED', 'rtsp').title).toBe('The camera refused the user name or password');
    expect(sourceHint('SOURCE_UNREACHABLE', 'rtsp').title).toBe('Nothing answered at that address');
    expect(sourceHint('SOURCE_UNREACHABLE', 'rtsp').hint).toContain('IP address and port');
    expect(sourceHint('CODEC_UNSUPPORTED', 'rtsp').title).toBe('The camera sends a codec Vigil cannot record');
  });

  it('decides by the code, never by the message', () => {
    // The same code gives the same words whatever the server said; there is no message argument at all.
    expect(sourceHint('SOURCE_UNREACHABLE', null)).toEqual(sourceHint('SOURCE_UNREACHABLE', 'rtsp'));
  });

  it('words file failures for files', () => {
    expect(sourceHint('SOURCE_UNREACHABLE', 'file').title).toBe('The file cannot be opened');
    expect(sourceHint('SOURCE_INVALID', 'file').title).toBe('The file is not a video Vigil can read');
    // Codes with nothing file-specific fall back to the common words.
    expect(sourceHint('NO_VIDEO', 'file').title).toBe('The camera sends no video');
  });

  it('gives an unknown or missing code a general line', () => {
    expect(sourceHint('SOMETHING_NEW', 'rtsp').title).toBe('The camera could not be read');
    expect(sourceHint(null).hint).toContain('details');
  });
});

describe('statusHasError', () => {
  it('is true while a camera fails or retries', () => {
    expect(['error', 'reconnecting'].every(statusHasError)).toBe(true);
    expect(['running', 'stopped', 'starting', 'stopping'].some(statusHasError)).toBe(false);
  });
});
