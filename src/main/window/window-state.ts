/** The main window's size and position, remembered in userData/window-state.json. Pure load / clamp / save. */
import path from 'node:path';

export interface WindowState {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
}

export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export const DEFAULT_WINDOW_STATE: WindowState = { width: 1280, height: 820, maximized: false };
export const MIN_WIDTH = 960;
export const MIN_HEIGHT = 640;
export const WINDOW_STATE_FILE = 'window-state.json';

export function windowStateFile(userDataDir: string): string {
  return path.join(userDataDir, WINDOW_STATE_FILE);
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 100_000;

/** Parses the stored JSON; anything missing or odd falls back to the defaults (a bad file never blocks start). */
export function parseWindowState(text: string | null): WindowState {
  if (!text) return { ...DEFAULT_WINDOW_STATE };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ...DEFAULT_WINDOW_STATE };
  }
  if (typeof raw !== 'object' || raw === null) return { ...DEFAULT_WINDOW_STATE };
  const r = raw as Record<string, unknown>;
  const state: WindowState = {
    width: isInt(r.width) ? Math.round(r.width) : DEFAULT_WINDOW_STATE.width,
    height: isInt(r.height) ? Math.round(r.height) : DEFAULT_WINDOW_STATE.height,
    maximized: r.maximized === true,
  };
  if (isInt(r.x) && isInt(r.y)) {
    state.x = Math.round(r.x);
    state.y = Math.round(r.y);
  }
  return state;
}

function overlap(a: Rect, b: Rect): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return w > 0 && h > 0 ? w * h : 0;
}

/**
 * Fits the state to the displays present now: size within the largest work area (and the minimum), and a position
 * only when the window would be mostly visible on one display (a monitor unplugged since → centered by the OS).
 */
export function clampWindowState(state: WindowState, workAreas: readonly Rect[]): WindowState {
  const maxW = Math.max(MIN_WIDTH, ...workAreas.map((a) => a.width));
  const maxH = Math.max(MIN_HEIGHT, ...workAreas.map((a) => a.height));
  const width = Math.min(Math.max(state.width, MIN_WIDTH), maxW);
  const height = Math.min(Math.max(state.height, MIN_HEIGHT), maxH);
  const out: WindowState = { width, height, maximized: state.maximized };
  if (state.x !== undefined && state.y !== undefined) {
    const rect = { x: state.x, y: state.y, width, height };
    const visible = workAreas.some((a) => overlap(rect, a) >= 0.5 * width * height);
    if (visible) {
      out.x = state.x;
      out.y = state.y;
    }
  }
  return out;
}

export function serializeWindowState(state: WindowState): string {
  return `${JSON.stringify(state)}\n`;
}

export interface WindowStateIo {
  readText(file: string): Promise<string | null>;
  writeText(file: string, text: string): Promise<void>;
}

export async function loadWindowState(userDataDir: string, io: WindowStateIo, workAreas: readonly Rect[]): Promise<WindowState> {
  const text = await io.readText(windowStateFile(userDataDir)).catch(() => null);
  return clampWindowState(parseWindowState(text), workAreas);
}

export async function saveWindowState(userDataDir: string, io: WindowStateIo, state: WindowState): Promise<void> {
  await io.writeText(windowStateFile(userDataDir), serializeWindowState(state));
}
