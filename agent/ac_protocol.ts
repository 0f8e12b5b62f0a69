/**
 * The Assetto Corsa dedicated server's UDP plugin protocol, as the server writes it (Kunos'
 * example plugin and SDK; Assetto Corsa Server Manager's pkg/udp): one datagram is one message,
 * its first byte the message id, numbers little-endian without padding, `str` a 1-byte length and
 * that many bytes, `strW` a 1-byte character count and 4 bytes (UTF-32LE) per character.
 *
 * `decodePacket` turns a datagram into a plain event (throws `AcDecodeError` on anything it cannot
 * read); the `encode*` functions write the plugin's commands. Pure: no sockets here.
 */

/** Message ids the server sends. */
export const AC_MSG = {
  NEW_SESSION: 50,
  NEW_CONNECTION: 51,
  CONNECTION_CLOSED: 52,
  CAR_UPDATE: 53,
  CAR_INFO: 54,
  END_SESSION: 55,
  VERSION: 56,
  CHAT: 57,
  CLIENT_LOADED: 58,
  SESSION_INFO: 59,
  ERROR: 60,
  LAP_COMPLETED: 73,
  CLIENT_EVENT: 130,
} as const;

/** Command ids the plugin sends. */
export const AC_CMD = {
  REALTIMEPOS_INTERVAL: 200,
  GET_CAR_INFO: 201,
  SEND_CHAT: 202,
  BROADCAST_CHAT: 203,
  GET_SESSION_INFO: 204,
  KICK_USER: 206,
  ADMIN_COMMAND: 209,
} as const;

/** One line of the leaderboard a lap-completed message carries. */
export interface AcBoardLine {
  carId: number;
  bestLapMs: number;
  laps: number;
  completed: boolean;
}

/** A decoded server message, as relayed to the hub (car updates are not relayed). */
export type AcEvent =
  | {
    type: "session";
    /** True for NEW_SESSION (a session started), false for SESSION_INFO (an answer). */
    isNew: boolean;
    version: number;
    sessionIndex: number;
    currentSessionIndex: number;
    sessionCount: number;
    serverName: string;
    track: string;
    layout: string;
    name: string;
    /** 0 booking, 1 practice, 2 qualifying, 3 race. */
    sessionType: number;
    timeMinutes: number;
    laps: number;
    waitTime: number;
    ambientTemp: number;
    roadTemp: number;
    weather: string;
    elapsedMs: number;
  }
  | {
    type: "connect" | "disconnect";
    driver: string;
    guid: string;
    carId: number;
    model: string;
    skin: string;
  }
  | {
    type: "car_update";
    carId: number;
    gear: number;
    rpm: number;
    spline: number;
  }
  | {
    type: "car";
    carId: number;
    connected: boolean;
    model: string;
    skin: string;
    driver: string;
    team: string;
    guid: string;
  }
  | { type: "end"; resultsFile: string }
  | { type: "version"; version: number }
  | { type: "chat"; carId: number; text: string }
  | { type: "loaded"; carId: number }
  | { type: "error"; message: string }
  | { type: "lap"; carId: number; lapMs: number; cuts: number; board: AcBoardLine[]; grip: number }
  | { type: "collision"; carId: number; otherCarId: number | null; speed: number };

/** A datagram that is not a message this decoder can read. */
export class AcDecodeError extends Error {}

/** Reads the fields of one datagram in order; every read checks the length first. */
class Reader {
  #at = 0;
  readonly #view: DataView;
  constructor(readonly bytes: Uint8Array) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  #need(n: number, what: string): number {
    const at = this.#at;
    if (at + n > this.bytes.length) {
      throw new AcDecodeError(
        `truncated at byte ${at}: ${what} needs ${n} byte(s), ${this.bytes.length - at} left`,
      );
    }
    this.#at += n;
    return at;
  }
  u8(what: string): number {
    return this.#view.getUint8(this.#need(1, what));
  }
  u16(what: string): number {
    return this.#view.getUint16(this.#need(2, what), true);
  }
  i32(what: string): number {
    return this.#view.getInt32(this.#need(4, what), true);
  }
  u32(what: string): number {
    return this.#view.getUint32(this.#need(4, what), true);
  }
  f32(what: string): number {
    return this.#view.getFloat32(this.#need(4, what), true);
  }
  str(what: string): string {
    const n = this.u8(what);
    const at = this.#need(n, what);
    return new TextDecoder().decode(this.bytes.subarray(at, at + n)).replace(/\0/g, "");
  }
  strW(what: string): string {
    const n = this.u8(what);
    const at = this.#need(n * 4, what);
    let out = "";
    for (let i = 0; i < n; i++) {
      const cp = this.#view.getUint32(at + i * 4, true);
      if (cp === 0) continue;
      out += cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : "\ufffd";
    }
    return out;
  }
}

/** Decodes one datagram; throws `AcDecodeError` for an unknown id or a short packet. */
export function decodePacket(bytes: Uint8Array): AcEvent {
  const r = new Reader(bytes);
  const id = r.u8("message id");
  switch (id) {
    case AC_MSG.NEW_SESSION:
    case AC_MSG.SESSION_INFO:
      return {
        type: "session",
        isNew: id === AC_MSG.NEW_SESSION,
        version: r.u8("version"),
        sessionIndex: r.u8("session index"),
        currentSessionIndex: r.u8("current session index"),
        sessionCount: r.u8("session count"),
        serverName: r.strW("server name"),
        track: r.str("track"),
        layout: r.str("track config"),
        name: r.str("session name"),
        sessionType: r.u8("session type"),
        timeMinutes: r.u16("time"),
        laps: r.u16("laps"),
        waitTime: r.u16("wait time"),
        ambientTemp: r.u8("ambient temperature"),
        roadTemp: r.u8("road temperature"),
        weather: r.str("weather graphics"),
        elapsedMs: r.i32("elapsed time"),
      };
    case AC_MSG.NEW_CONNECTION:
    case AC_MSG.CONNECTION_CLOSED:
      return {
        type: id === AC_MSG.NEW_CONNECTION ? "connect" : "disconnect",
        driver: r.strW("driver name"),
        guid: r.strW("driver GUID"),
        carId: r.u8("car id"),
        model: r.str("car model"),
        skin: r.str("car skin"),
      };
    case AC_MSG.CAR_UPDATE: {
      const carId = r.u8("car id");
      for (let i = 0; i < 6; i++) r.f32("position and velocity");
      const gear = r.u8("gear");
      const rpm = r.u16("engine rpm");
      return { type: "car_update", carId, gear, rpm, spline: r.f32("spline position") };
    }
    case AC_MSG.CAR_INFO:
      return {
        type: "car",
        carId: r.u8("car id"),
        connected: r.u8("is connected") !== 0,
        model: r.strW("car model"),
        skin: r.strW("car skin"),
        driver: r.strW("driver name"),
        team: r.strW("driver team"),
        guid: r.strW("driver GUID"),
      };
    case AC_MSG.END_SESSION:
      return { type: "end", resultsFile: r.strW("results file name") };
    case AC_MSG.VERSION:
      return { type: "version", version: r.u8("protocol version") };
    case AC_MSG.CHAT:
      return { type: "chat", carId: r.u8("car id"), text: r.strW("message") };
    case AC_MSG.CLIENT_LOADED:
      return { type: "loaded", carId: r.u8("car id") };
    case AC_MSG.ERROR:
      return { type: "error", message: r.strW("message") };
    case AC_MSG.LAP_COMPLETED: {
      const carId = r.u8("car id");
      const lapMs = r.u32("lap time");
      const cuts = r.u8("cuts");
      const count = r.u8("cars count");
      const board: AcBoardLine[] = [];
      for (let i = 0; i < count; i++) {
        board.push({
          carId: r.u8("leaderboard car id"),
          bestLapMs: r.u32("leaderboard best lap"),
          laps: r.u16("leaderboard laps"),
          completed: r.u8("leaderboard completed") !== 0,
        });
      }
      return { type: "lap", carId, lapMs, cuts, board, grip: r.f32("grip level") };
    }
    case AC_MSG.CLIENT_EVENT: {
      const kind = r.u8("client event type");
      if (kind !== 10 && kind !== 11) throw new AcDecodeError(`unknown client event type ${kind}`);
      const carId = r.u8("car id");
      const otherCarId = kind === 10 ? r.u8("other car id") : null;
      const speed = r.f32("impact speed");
      for (let i = 0; i < 6; i++) r.f32("world and relative position");
      return { type: "collision", carId, otherCarId, speed };
    }
    default:
      throw new AcDecodeError(`unknown message id ${id}`);
  }
}

/** Writes little-endian fields into one datagram. */
export class Writer {
  readonly #bytes: number[] = [];
  u8(n: number): this {
    this.#bytes.push(n & 0xff);
    return this;
  }
  u16(n: number): this {
    return this.u8(n).u8(n >>> 8);
  }
  u32(n: number): this {
    return this.u16(n & 0xffff).u16(n >>> 16);
  }
  i32(n: number): this {
    return this.u32(n >>> 0);
  }
  f32(n: number): this {
    const b = new Uint8Array(new Float32Array([n]).buffer);
    for (const x of b) this.u8(x);
    return this;
  }
  /** 1-byte length in bytes, then UTF-8 (cut to 255 bytes). */
  str(s: string): this {
    const b = new TextEncoder().encode(s).subarray(0, 255);
    this.u8(b.length);
    for (const x of b) this.u8(x);
    return this;
  }
  /** 1-byte length in characters, then UTF-32LE (cut to 255 characters). */
  strW(s: string): this {
    const cps = [...s].slice(0, 255);
    this.u8(cps.length);
    for (const c of cps) this.u32(c.codePointAt(0)!);
    return this;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.#bytes);
  }
}

/** GET_SESSION_INFO for the current session. */
export function encodeGetSessionInfo(): Uint8Array {
  return new Writer().u8(AC_CMD.GET_SESSION_INFO).u16(0xffff).bytes(); // i16 -1
}

/** GET_CAR_INFO for one car. */
export function encodeGetCarInfo(carId: number): Uint8Array {
  return new Writer().u8(AC_CMD.GET_CAR_INFO).u8(carId).bytes();
}

/** BROADCAST_CHAT: a message to everyone on the server. */
export function encodeBroadcastChat(text: string): Uint8Array {
  return new Writer().u8(AC_CMD.BROADCAST_CHAT).strW(text).bytes();
}

/** SEND_CHAT: a message to one car. */
export function encodeSendChat(carId: number, text: string): Uint8Array {
  return new Writer().u8(AC_CMD.SEND_CHAT).u8(carId).strW(text).bytes();
}

/** KICK_USER: removes the driver of one car. */
export function encodeKick(carId: number): Uint8Array {
  return new Writer().u8(AC_CMD.KICK_USER).u8(carId).bytes();
}
