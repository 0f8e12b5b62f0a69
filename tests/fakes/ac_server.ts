/**
 * A fake Assetto Corsa dedicated server's UDP plugin side, on loopback: it writes each event the
 * way the real server does (the structs of Kunos' example plugin and Assetto Corsa Server
 * Manager's pkg/udp, docs in ../shared/docs/ac-udp.md), with its own encoder so the agent's
 * decoder is checked against the layout rather than against itself. It answers GET_SESSION_INFO
 * and GET_CAR_INFO, kicks on KICK_USER (sending CONNECTION_CLOSED, as the server does) and
 * records every command it receives.
 */
import dgram from "node:dgram";

/** A driver in a car slot. */
export interface FakeCar {
  carId: number;
  driver: string;
  guid: string;
  model: string;
  skin: string;
  connected: boolean;
}

/** A session as the server announces it. */
export interface FakeSession {
  track: string;
  layout: string;
  name: string;
  /** 1 practice, 2 qualifying, 3 race. */
  type: number;
  serverName?: string;
  elapsedMs?: number;
}

/** A command the fake server received from the plugin. */
export type FakeCommand =
  | { type: "get_car_info"; carId: number }
  | { type: "get_session_info"; index: number }
  | { type: "broadcast"; text: string }
  | { type: "send_chat"; carId: number; text: string }
  | { type: "kick"; carId: number }
  | { type: "other"; id: number };

/** Little-endian packet bytes. */
class Packet {
  readonly out: number[] = [];
  u8(n: number): this {
    this.out.push(n & 0xff);
    return this;
  }
  u16(n: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, n, true);
    this.out.push(...b);
    return this;
  }
  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, n, true);
    this.out.push(...b);
    return this;
  }
  i32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setInt32(0, n, true);
    this.out.push(...b);
    return this;
  }
  f32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, n, true);
    this.out.push(...b);
    return this;
  }
  str(s: string): this {
    const b = new TextEncoder().encode(s);
    return this.u8(b.length).raw(b);
  }
  strW(s: string): this {
    const cps = [...s];
    this.u8(cps.length);
    for (const c of cps) this.u32(c.codePointAt(0)!);
    return this;
  }
  raw(b: Uint8Array): this {
    this.out.push(...b);
    return this;
  }
  bytes(): Uint8Array {
    return new Uint8Array(this.out);
  }
}

function readStrW(b: Uint8Array, at: number): string {
  const n = b[at] ?? 0;
  const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let s = "";
  for (let i = 0; i < n; i++) s += String.fromCodePoint(v.getUint32(at + 1 + i * 4, true));
  return s;
}

/** The fake server: `pluginPort` is where it sends events (the agent's listening port). */
export class FakeAcServer {
  readonly commands: FakeCommand[] = [];
  readonly cars = new Map<number, FakeCar>();
  session: FakeSession | null = null;
  pluginPort = 0;
  readonly #socket: dgram.Socket;
  #waiters: { pred: (c: FakeCommand) => boolean; resolve: (c: FakeCommand) => void }[] = [];
  /** Set to false to play a server that ignores the plugin's questions. */
  answers = true;

  private constructor(socket: dgram.Socket) {
    this.#socket = socket;
    socket.on("message", (msg: Uint8Array) => this.#command(msg));
  }

  /** Binds the server's command port (UDP_PLUGIN_LOCAL_PORT) on an OS-chosen loopback port. */
  static async start(): Promise<FakeAcServer> {
    const socket = dgram.createSocket("udp4");
    await new Promise<void>((resolve) => socket.bind(0, "127.0.0.1", () => resolve()));
    return new FakeAcServer(socket);
  }

  /** The port the server takes commands on. */
  get port(): number {
    return this.#socket.address().port;
  }

  close(): void {
    this.#socket.close();
  }

  /** Sends raw bytes to the plugin (garbage tests). */
  sendRaw(bytes: Uint8Array): void {
    this.#socket.send(bytes, this.pluginPort, "127.0.0.1");
  }

  #send(p: Packet): void {
    this.sendRaw(p.bytes());
  }

  /** NEW_SESSION (50), or SESSION_INFO (59) when answering. */
  sessionPacket(s: FakeSession, id = 50): Uint8Array {
    return new Packet().u8(id).u8(4).u8(0).u8(0).u8(1).strW(s.serverName ?? "Podium test server")
      .str(s.track).str(s.layout).str(s.name).u8(s.type).u16(60).u16(0).u16(60).u8(22).u8(30)
      .str("3_clear").i32(s.elapsedMs ?? 0).bytes();
  }

  newSession(s: FakeSession): void {
    this.session = s;
    this.sendRaw(this.sessionPacket(s, 50));
  }

  connect(car: Omit<FakeCar, "connected">): void {
    this.cars.set(car.carId, { ...car, connected: true });
    this.#send(
      new Packet().u8(51).strW(car.driver).strW(car.guid).u8(car.carId).str(car.model).str(car.skin),
    );
  }

  disconnect(carId: number): void {
    const car = this.cars.get(carId);
    if (!car) return;
    car.connected = false;
    this.#send(new Packet().u8(52).strW(car.driver).strW(car.guid).u8(carId).str(car.model).str(car.skin));
  }

  loaded(carId: number): void {
    this.#send(new Packet().u8(58).u8(carId));
  }

  chat(carId: number, text: string): void {
    this.#send(new Packet().u8(57).u8(carId).strW(text));
  }

  /** LAP_COMPLETED (73) with the leaderboard of every connected car. */
  lapPacket(carId: number, lapMs: number, cuts: number, laps = 1): Uint8Array {
    const board = [...this.cars.values()].filter((c) => c.connected);
    const p = new Packet().u8(73).u8(carId).u32(lapMs).u8(cuts).u8(board.length);
    for (const c of board) p.u8(c.carId).u32(c.carId === carId ? lapMs : 999999999).u16(laps).u8(0);
    return p.f32(0.98).bytes();
  }

  lap(carId: number, lapMs: number, cuts = 0): void {
    this.sendRaw(this.lapPacket(carId, lapMs, cuts));
  }

  collision(carId: number, otherCarId: number | null, speed: number): void {
    const p = new Packet().u8(130).u8(otherCarId === null ? 11 : 10).u8(carId);
    if (otherCarId !== null) p.u8(otherCarId);
    p.f32(speed);
    for (let i = 0; i < 6; i++) p.f32(i);
    this.#send(p);
  }

  endSession(resultsFile: string): void {
    this.#send(new Packet().u8(55).strW(resultsFile));
  }

  #carInfo(carId: number): void {
    const c = this.cars.get(carId);
    if (!c) return;
    this.#send(
      new Packet().u8(54).u8(carId).u8(c.connected ? 1 : 0).strW(c.model).strW(c.skin).strW(c.driver)
        .strW("").strW(c.guid),
    );
  }

  #command(b: Uint8Array): void {
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    let c: FakeCommand;
    switch (b[0]) {
      case 201:
        c = { type: "get_car_info", carId: b[1]! };
        if (this.answers) this.#carInfo(b[1]!);
        break;
      case 204:
        c = { type: "get_session_info", index: v.getInt16(1, true) };
        if (this.answers && this.session) this.sendRaw(this.sessionPacket(this.session, 59));
        break;
      case 202:
        c = { type: "send_chat", carId: b[1]!, text: readStrW(b, 2) };
        break;
      case 203:
        c = { type: "broadcast", text: readStrW(b, 1) };
        break;
      case 206:
        c = { type: "kick", carId: b[1]! };
        this.disconnect(b[1]!);
        break;
      default:
        c = { type: "other", id: b[0] ?? -1 };
    }
    this.commands.push(c);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.pred(c)) return true;
      w.resolve(c);
      return false;
    });
  }

  /** Resolves with the first command (already received or coming) that matches. */
  waitForCommand(pred: (c: FakeCommand) => boolean, ms = 10_000): Promise<FakeCommand> {
    const seen = this.commands.find(pred);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`No such command within ${ms} ms`)), ms);
      this.#waiters.push({
        pred,
        resolve: (c) => {
          clearTimeout(timer);
          resolve(c);
        },
      });
    });
  }
}
