import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  clampWindowState,
  DEFAULT_WINDOW_STATE,
  loadWindowState,
  MIN_HEIGHT,
  MIN_WIDTH,
  parseWindowState,
  saveWindowState,
  type WindowStateIo,
} from './window-state';

const screen = [{ x: 0, y: 0, width: 1920, height: 1080 }];

describe('window state', () => {
  it('falls back to the defaults on a missing, corrupt or odd file', () => {
    expect(parseWindowState(null)).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{not json')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('[1,2]')).toMatchObject({ width: DEFAULT_WINDOW_STATE.width });
    expect(parseWindowState('{"width":"big","height":1e9,"x":10}')).toEqual(DEFAULT_WINDOW_STATE);
    expect(parseWindowState('{"width":1400.4,"height":900,"x":10,"y":20,"maximized":true}')).toEqual({
      width: 1400,
      height: 900,
      x: 10,
      y: 20,
      maximized: true,
    });
  });

  it('clamps the size to the minimum and to the largest display', () => {
    expect(clampWindowState({ width: 100, height: 100, maximized: false }, screen)).toEqual({ width: MIN_WIDTH, height: MIN_HEIGHT, maximized: false });
    expect(clampWindowState({ width: 5000, height: 3000, maximized: false }, screen)).toEqual({ width: 1920, height: 1080, maximized: false });
  });

  it('keeps the position only when the window is mostly on a display', () => {
    expect(clampWindowState({ x: 100, y: 50, width: 1280, height: 820, maximized: false }, screen)).toMatchObject({ x: 100, y: 50 });
    // On a second monitor that is gone now.
    const gone = clampWindowState({ x: 2500, y: 100, width: 1280, height: 820, maximized: false }, screen);
    expect(gone.x).toBeUndefined();
    expect(gone.y).toBeUndefined();
    // Still on the second monitor when it is there.
    const two = [...screen, { x: 1920, y: 0, width: 2560, height: 1440 }];
    expect(clampWindowState({ x: 2500, y: 100, width: 1280, height: 820, maximized: false }, two)).toMatchObject({ x: 2500, y: 100 });
  });

  it('round-trips through a file in userData', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'cc-window-'));
    const io: WindowStateIo = {
      readText: (f) => readFile(f, 'utf8').catch(() => null),
      writeText: (f, t) => writeFile(f, t),
    };
    try {
      expect(await loadWindowState(dir, io, screen)).toEqual(DEFAULT_WINDOW_STATE);
      await saveWindowState(dir, io, { x: 40, y: 30, width: 1500, height: 900, maximized: true });
      expect(await loadWindowState(dir, io, screen)).toEqual({ x: 40, y: 30, width: 1500, height: 900, maximized: true });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
