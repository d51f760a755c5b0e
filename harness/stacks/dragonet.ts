/**
 * Dragonet's stack in simulated time: the NIC configured by the queue-allocation search through
 * the real control loop, one stack pipeline per hardware queue, one application pipeline per
 * application thread, each on the core its placement gives it, every pipeline the real compiled
 * program of the embedded graph run on the real frame bytes (dragonet-model.md §12).
 *
 * Start-up (§12.1, §12.4): one application per thread registers; the first binds the listening
 * socket on the app's port, the others span it; the control loop's start-up run builds the
 * embedded graph (see `dragonet_graph.ts`) and the pipelines start. A flow is registered the
 * first time its application sees a datagram of it (`SocketUDPFlow`); the control loop then
 * searches, and the NIC diff takes effect after a simulated reconfiguration time
 * ({@link DragonetTiming}); meanwhile the flow's packets keep arriving on the default queue.
 *
 * Cores: a {@link DragonetLayout} (`dragonet_placement.ts`) places every queue pipeline and app
 * pipeline on a core: `colocated` (queue `i` and app thread `i` share core `i`, run to
 * completion), `split` (stack cores and app cores within the same total) or `dedicated`
 * (Dragonet's runs: one polling core per queue plus one per app thread, 20 cores for 10 queues
 * and 10 threads, workloads.md §5). A core with several pipelines runs them in round robin, one
 * step at a time. Every core spins (polls); there are no interrupts, system calls or copies.
 *
 * Costs, all from `harness/sim/calibration.ts` (the same as in the other models), charged per
 * stage the real pipelines went through in a step:
 * - a frame polled from the NIC: `ring_access_bypass` (driver) + `l3l4_rx` (stack);
 * - a buffer crossing between pipelines (queue -> app, app -> queue): the producer's enqueue
 *   costs `lock_uncontended` (one atomic on the queue) and the consumer's dequeue one
 *   `cache_line_transfer` when the producer ran on another core (the buffer's descriptor and
 *   header lines move cores; host-stacks.md §5.2 adders, §6: "cross-core hand-offs pay a
 *   cache-transfer cost"), else one `lock_uncontended` (the lines are already local);
 * - a core switching from one pipeline to another between steps (colocated and split placements):
 *   `sched_running` (scheduler work when the thread is already running, host-stacks.md §5.1),
 *   charged as scheduler time; a core with one pipeline never switches;
 * - the application's work per request: its calibration op (memcached `memcached_get`, echo
 *   none);
 * - a frame sent: `l3l4_tx` (stack) + `ring_access_bypass` (driver), as in the Onload-like model.
 *
 * Drops inside the pipelines are the nodes' own counted reasons, mapped onto the stack models'
 * reasons (`stack.bad-frame` with `packet.<reason>`, `stack.no-socket`, `stack.socket-full` for
 * a full socket ring or inter-pipeline queue). ICMP errors are off (as in the other models), so
 * a datagram to a closed port is a counted `no-socket` drop.
 *
 * @module
 */
import { type Calibration, makeCalibration, Op } from "../sim/calibration.ts";
import { CoreCat, type CoreTask, type HostCore } from "../sim/host_core.ts";
import type { Host } from "../sim/host.ts";
import type { ConfigOp, NicConfig, NicModel } from "../../nicmodels/_shared/nic.ts";
import { formatIpv4, formatMac } from "../../stack/packet/addr.ts";
import { REASON_COUNT, reasonName } from "../../stack/packet/mod.ts";
import type { BoundedQueue } from "../../stack/exec/bounded_queue.ts";
import { dropsByReason } from "../../stack/exec/counters.ts";
import { type Pipeline, PipelineSet } from "../../stack/exec/pipelines.ts";
import { BufRing, LpgEnv } from "../../stack/protocols/env.ts";
import { lpgImpls } from "../../stack/protocols/lpg.ts";
import { constImpls } from "../../stack/dragonet/embed/const_impls.ts";
import type { UdpEndpoint } from "../../stack/protocols/udp_sockets_expansion.ts";
import { DragonetControl } from "../../stack/dragonet/control/control_loop.ts";
import { costByName } from "../../stack/dragonet/control/cost_choice.ts";
import {
  DRAGONET_NICS,
  type DragonetNic,
  type DragonetNicId,
} from "../../stack/dragonet/control/dragonet_nics.ts";
import { EventFlag } from "../../stack/dragonet/control/events.ts";
import type { ReconfigRecord } from "../../stack/dragonet/control/reconfig_log.ts";
import { IntPairMap } from "../sim/int_pair_map.ts";
import { StackBase } from "./_base.ts";
import { StackDrop } from "./drops.ts";
import { dragonetGraph } from "./dragonet_graph.ts";
import { LpgServe, LpgServerApp } from "./dragonet_apps.ts";
import type { ServerApp } from "./server_app.ts";
import type { DragonetLayout } from "./dragonet_placement.ts";
import { DEFAULT_SOCKET_QUEUE_DATAGRAMS } from "./udp_socket.ts";
import type { MemcachedEngine } from "../../stack/apps/memcached/mod.ts";

/** Simulated time the control plane needs for a reconfiguration (parameters). */
export interface DragonetTiming {
  /** Simulated ns per candidate configuration the search evaluates. */
  readonly searchNsPerCandidate: number;
  /** Simulated ns per NIC configuration operation (filter write) applied. */
  readonly filterWriteNs: number;
}

/**
 * Default reconfiguration timing: the calibration's `control_search_candidate` and
 * `nic_filter_write` (their sources are in `harness/sim/calibration.ts`). A run uses its
 * testbed's calibration, so calibration overrides apply.
 */
export const DEFAULT_DRAGONET_TIMING: DragonetTiming = timingFrom(makeCalibration());

function timingFrom(cal: Calibration): DragonetTiming {
  return {
    searchNsPerCandidate: cal.ns[Op.control_search_candidate] as number,
    filterWriteNs: cal.ns[Op.nic_filter_write] as number,
  };
}

/** The server NIC kinds Dragonet drives, mapped to the control loop's NIC bundles. */
export const DRAGONET_NIC_KINDS: Readonly<Record<string, DragonetNicId>> = {
  "intel-82599": "intel-82599",
  "sfc9020": "solarflare-sfc9020",
};

/** The control loop's NIC bundle for server NIC kind `nic`; throws naming the allowed kinds. */
export function dragonetNicBundle(nic: string): DragonetNic {
  const id = DRAGONET_NIC_KINDS[nic];
  if (id === undefined) {
    throw new Error(
      `Dragonet stack needs nic ${
        Object.keys(DRAGONET_NIC_KINDS).map((k) => `"${k}"`).join(" or ")
      } (a NIC with a search oracle), got "${nic}"`,
    );
  }
  return DRAGONET_NICS[id];
}

/** The NIC model in Dragonet's bring-up configuration (no filters, RSS off) with `queues` queues. */
export function dragonetNicModel(nic: string, queues: number): NicModel {
  const bundle = dragonetNicBundle(nic);
  return bundle.model(bundle.initialConfig(queues));
}

/** Options of {@link DragonetStack}. */
export interface DragonetOptions {
  /** Queues, app threads and the core of each pipeline (from `dragonetLayout`). */
  readonly layout: DragonetLayout;
  /** Socket ring and inter-pipeline queue bound (default {@link DEFAULT_SOCKET_QUEUE_DATAGRAMS}). */
  readonly socketQueueDatagrams?: number;
  /** Reconfiguration timing (default: from the testbed's calibration). */
  readonly timing?: DragonetTiming;
  /** Search: "incremental" (default, the original's `-i`) or "greedy". */
  readonly search?: "greedy" | "incremental";
}

/** Lets a consumer take only the buffers whose producer's step has finished. */
class Gate {
  readonly q: BoundedQueue;
  visible = 0;
  budget = 0;
  taken = 0;
  consumer: Worker | null = null;
  producer: Worker | null = null;
  constructor(q: BoundedQueue) {
    this.q = q;
  }
  shift(): number {
    if (this.visible === 0 || this.budget === 0) return -1;
    const b = this.q.shift();
    if (b >= 0) {
      this.visible--;
      this.budget--;
      this.taken++;
    }
    return b;
  }
}

/** One pipeline and the thread running it on its core. */
class Worker implements CoreTask {
  readonly name: string;
  readonly index: number;
  readonly core: HostCore;
  readonly p: Pipeline<LpgEnv>;
  /** Hardware queue (stack pipelines) or -1 (app pipelines). */
  readonly queue: number;
  readonly app: LpgServerApp | null;
  inGates: Gate[] = [];
  outGates: Gate[] = [];
  readonly moved: Float64Array;
  readonly tx: Int32Array;
  txCount = 0;
  lastFreed = 0;
  lastDrops: Map<string, number> = new Map();
  #m: DragonetStack;

  constructor(
    m: DragonetStack,
    index: number,
    p: Pipeline<LpgEnv>,
    core: HostCore,
    queue: number,
    app: LpgServerApp | null,
  ) {
    this.#m = m;
    this.index = index;
    this.name = `dragonet-${p.name}`;
    this.p = p;
    this.core = core;
    this.queue = queue;
    this.app = app;
    this.moved = new Float64Array(p.ctx.outQueues.length);
    this.tx = new Int32Array(m.env.tx.capacity);
  }

  ready(): boolean {
    if (this.queue >= 0 && this.#m.host.nic.visible(this.queue) > 0) return true;
    const gates = this.inGates; // indexed loops here and in step(): no iterator per call
    for (let i = 0; i < gates.length; i++) if ((gates[i] as Gate).visible > 0) return true;
    return this.app !== null && this.app.waiting() > 0;
  }

  start(core: HostCore): void {
    this.#m.step(this, core);
  }

  finish(): void {
    this.#m.finishStep(this);
  }
}

/** The Dragonet model (see the module documentation). */
export class DragonetStack extends StackBase {
  /** Model name. */
  readonly name = "dragonet";
  /** Variant: the NIC it drives. */
  readonly variant: string;
  /** The calibration. */
  readonly cal: Calibration;
  /** The LPG state shared by every pipeline. */
  readonly env: LpgEnv;
  /** The pipelines. */
  readonly set: PipelineSet<LpgEnv>;
  /** The control loop. */
  readonly control: DragonetControl;
  /** Reconfigurations applied to the NIC, and failed ones. */
  reconfigurations = 0;
  /** Runs of the control loop that failed (NIC unchanged). */
  reconfigurationFailures = 0;
  /** Flows registered with the control loop. */
  flowsRegistered = 0;
  /** Filters added to the NIC by applied reconfigurations, minus those removed. */
  filtersInstalled = 0;
  /** Simulated time (ns) the first reconfiguration took effect on the NIC, or -1. */
  firstReconfigNs = -1;
  /** Steps in which a core switched from one pipeline to another. */
  coreSwitches = 0;
  /** The core placement. */
  readonly layout: DragonetLayout;
  /** Frames the pipelines sent at start-up (gratuitous ARP), discarded before traffic. */
  startupFrames = 0;
  readonly #workers: Worker[] = [];
  /** The stack pipeline's worker of each hardware queue. */
  readonly #queueWorker: Worker[] = [];
  readonly #inputs: BufRing[] = [];
  readonly #timing: DragonetTiming;
  readonly #tmp = new Int32Array(1);
  /** Flows registered with the control loop, by (remote IPv4, port). */
  readonly #known = new IntPairMap();
  readonly #pendingFlows: number[] = [];
  readonly #applyQueue: (readonly ConfigOp[])[] = [];
  #controlBusy = false;
  #controlKind: number;
  #applyKind: number;
  #lastRecord: ReconfigRecord | null = null;
  readonly #reasonCode = new Map<string, number>();
  readonly #localIp: number;
  readonly #port: number;
  readonly #lastOnCore: Int32Array;

  /** Installs the model on `host` (NIC in Dragonet's bring-up configuration) serving `app`. */
  constructor(host: Host, app: ServerApp, options: DragonetOptions) {
    super(host, app);
    this.cal = host.testbed.calibration;
    this.#timing = options.timing ?? timingFrom(host.testbed.calibration);
    const nic = host.nic;
    const queues = nic.queues;
    const layout = options.layout;
    this.layout = layout;
    const apps = layout.threads;
    if (layout.queues !== queues) {
      throw new RangeError(
        `Dragonet placement has ${layout.queues} queues, the host's NIC has ${queues}: they must match`,
      );
    }
    if (host.cores.length !== layout.cores) {
      throw new RangeError(
        `Dragonet placement uses ${layout.cores} cores, the host has ${host.cores.length}: they must match`,
      );
    }
    this.#lastOnCore = new Int32Array(layout.cores).fill(-1);
    const bundle = dragonetNicBundle(
      nic.model.capabilities.id === "intel-82599"
        ? "intel-82599"
        : nic.model.capabilities.id === "solarflare-sfc9020"
        ? "sfc9020"
        : nic.model.capabilities.id,
    );
    this.variant = bundle.id;
    for (let i = 0; i < REASON_COUNT; i++) this.#reasonCode.set(reasonName(i), i);
    this.#localIp = host.ip >>> 0;
    this.#port = app.port;
    const sim = host.testbed.sim;
    const pool = host.testbed.pool;
    const bound = options.socketQueueDatagrams ?? DEFAULT_SOCKET_QUEUE_DATAGRAMS;
    this.env = new LpgEnv(pool, {
      localIp: formatIpv4(host.ip),
      localMac: formatMac(host.mac),
      icmpErrorsPerSecond: 0,
      socketRingCapacity: bound,
      txRingCapacity: 1024,
      now: () => sim.now / 1e6,
    });
    // The control loop works on its own copy of the NIC model; each run's diff reaches the
    // host's NIC only after the simulated reconfiguration time.
    let graphEndpoints: readonly UdpEndpoint[] = [];
    this.control = new DragonetControl({
      nic: bundle,
      queues,
      cost: costByName({ name: "balance" }),
      search: options.search ?? "incremental",
      builder: (_config: NicConfig, endpoints: readonly UdpEndpoint[]) => {
        graphEndpoints = endpoints;
        return dragonetGraph(bundle, queues, endpoints);
      },
      clock: () => sim.now,
      timer: () => 0,
      onReconfigured: (r) => {
        this.#lastRecord = r;
      },
    });
    const reg = this.control.handle({ kind: "register", label: "app0", flags: EventFlag.More });
    const sid0 = this.control.handle({
      kind: "bind",
      app: reg.id,
      local: { ip: 0, port: app.port },
      remote: { ip: 0, port: 0 },
      flags: EventFlag.More,
    }).id;
    for (let a = 1; a < apps; a++) {
      const r = this.control.handle({ kind: "register", label: `app${a}`, flags: EventFlag.More });
      this.control.handle({ kind: "span", socket: sid0, app: r.id, flags: EventFlag.More });
    }
    this.control.start().catch(() => {});
    const graph = this.control.graph();
    if (graph === null) {
      const err = this.control.log().at(-1)?.error ?? "no run recorded";
      throw new Error(`Dragonet start-up reconfiguration failed: ${err}`);
    }
    // Pipelines of the embedded graph, compiled, one input ring per hardware queue.
    const inputs = new Map<string, BufRing>();
    for (let q = 0; q < queues; q++) {
      const ring = new BufRing(4);
      this.#inputs.push(ring);
      inputs.set(`Q${q}`, ring);
    }
    this.set = new PipelineSet({
      graph: graph.software,
      impls: new Map([...lpgImpls(graph.software), ...constImpls<LpgEnv>()]),
      pool,
      env: this.env,
      mode: "compiled",
      queueSlots: bound,
      inputs,
    });
    // Sockets of each app (sid -> app id from the endpoints).
    const sidsOf = new Map<number, number[]>();
    for (const ep of graphEndpoints) {
      for (const s of ep.sockets) sidsOf.set(s.appId, [...(sidsOf.get(s.appId) ?? []), s.sid]);
    }
    const engine = app.kind === "memcached"
      ? (app as unknown as { engine: MemcachedEngine }).engine
      : null;
    // Gates on every inter-pipeline queue.
    const gates = new Map<BoundedQueue, Gate>();
    for (const q of this.set.queues.values()) gates.set(q, new Gate(q));
    let appIndex = 0;
    for (const p of this.set.pipelines.values()) {
      let core: HostCore;
      let queue = -1;
      let lpgApp: LpgServerApp | null = null;
      if (p.name.startsWith("Q")) {
        queue = Number(p.name.slice(1));
        core = host.cores[layout.queueCore[queue] ?? 0] as HostCore;
      } else {
        const appId = Number(p.name.slice(3));
        core = host.cores[layout.appCore[appIndex++ % apps] ?? 0] as HostCore;
        const sids: number[] = [];
        const froms: number[] = [];
        for (const sid of sidsOf.get(appId) ?? []) {
          const n = findFromSocket(p, sid);
          if (n >= 0) {
            sids.push(sid);
            froms.push(n);
          }
        }
        if (sids.length > 0) lpgApp = new LpgServerApp(this.env, p.ctx, sids, froms, engine);
      }
      const w = new Worker(this, this.#workers.length, p, core, queue, lpgApp);
      this.#workers.push(w);
      core.addTask(w);
    }
    // Gate the consumers' inputs; remember each producer's gates.
    for (const w of this.#workers) {
      const ins = w.p.ctx.inQueues;
      for (let i = 0; i < ins.length; i++) {
        const g = gates.get(ins[i] as BoundedQueue) as Gate;
        g.consumer = w;
        w.inGates.push(g);
        ins[i] = g as unknown as BoundedQueue;
      }
    }
    for (const w of this.#workers) {
      for (const q of w.p.ctx.outQueues) {
        const g = gates.get(q) as Gate;
        g.producer = w;
        w.outGates.push(g);
      }
    }
    const used = new Set(this.#workers.map((w) => w.core));
    for (const c of host.cores) if (used.has(c)) c.addSpinner();
    // Start: init nodes (gratuitous ARP) and pollers; frames sent before traffic are discarded.
    this.set.start();
    for (const w of this.#workers) this.#run(w);
    for (let b = this.env.tx.shift(); b >= 0; b = this.env.tx.shift()) {
      this.startupFrames++;
      pool.free(b, pool.owner[b] ?? 0);
    }
    for (const w of this.#workers) {
      w.lastFreed = w.p.ctx.freedAtEnd;
      w.lastDrops = dropsByReason(w.p.program, w.p.ctx);
    }
    for (let q = 0; q < queues; q++) nic.disableInterrupt(q);
    for (const w of this.#workers) if (w.queue >= 0) this.#queueWorker[w.queue] ??= w;
    nic.onVisible = (q) => {
      this.#queueWorker[q]?.core.kick();
    };
    this.#controlKind = sim.on(`${host.name}.dragonet.control`, () => this.#controlRun());
    this.#applyKind = sim.on(`${host.name}.dragonet.apply`, () => this.#applyNext());
  }

  /** Runs a worker's pipeline until a round of its tasks is unproductive; returns tasks run. */
  #run(w: Worker): number {
    const ctx = w.p.ctx;
    const exec = w.p.exec;
    let total = 0;
    for (let round = 0; round < 16; round++) {
      ctx.productive = false;
      const n = ctx.tasks.size;
      for (let k = 0; k < n; k++) {
        const node = ctx.tasks.peekNode();
        const buf = ctx.tasks.peekBuf();
        ctx.tasks.shift();
        exec.run(node, buf);
        total++;
      }
      if (!ctx.productive) break;
    }
    return total;
  }

  /** One step of worker `w` on `core` (called by the worker's `start`). */
  step(w: Worker, core: HostCore): void {
    const ns = this.cal.ns;
    const env = this.env;
    for (let i = 0; i < w.outGates.length; i++) w.moved[i] = (w.outGates[i] as Gate).q.moved;
    const inGates = w.inGates;
    for (let i = 0; i < inGates.length; i++) {
      const g = inGates[i] as Gate;
      g.budget = 1;
      g.taken = 0;
    }
    let polled = 0;
    if (w.queue >= 0 && this.host.nic.pollRx(w.queue, 1, this.#tmp) === 1) {
      const b = this.#tmp[0] as number;
      this.#learnArp(b);
      (this.#inputs[w.queue] as BufRing).push(b);
      polled = 1;
    }
    this.#run(w);
    let crossIn = 0;
    let crossInRemote = 0;
    for (let i = 0; i < inGates.length; i++) {
      const g = inGates[i] as Gate;
      crossIn += g.taken;
      if (g.producer !== null && g.producer.core !== w.core) crossInRemote += g.taken;
      g.budget = 0;
    }
    const last = this.#lastOnCore[core.id] ?? -1;
    const switched = last >= 0 && last !== w.index ? 1 : 0;
    this.#lastOnCore[core.id] = w.index;
    this.coreSwitches += switched;
    let served = 0;
    const app = w.app;
    if (app !== null) {
      const r = app.serveOne();
      if (r !== LpgServe.Empty) {
        this.delivered++;
        this.#noteFlow(app);
        if (r === LpgServe.Ignored) {
          this.drops[StackDrop.AppIgnored] = (this.drops[StackDrop.AppIgnored] ?? 0) + 1;
        } else {
          served = 1;
          this.served++;
          this.#run(w);
        }
        if (app.replyFailures > 0) {
          this.drops[StackDrop.NoReplyBuffer] = (this.drops[StackDrop.NoReplyBuffer] ?? 0) +
            app.replyFailures;
          app.replyFailures = 0;
        }
      }
    }
    let crossOut = 0;
    for (let i = 0; i < w.outGates.length; i++) {
      crossOut += (w.outGates[i] as Gate).q.moved - (w.moved[i] ?? 0);
    }
    // TX frames of this pipeline leave on its hardware queue when the step ends.
    let tx = 0;
    for (let b = env.tx.shift(); b >= 0; b = env.tx.shift()) w.tx[w.txCount++] = b;
    tx = w.txCount;
    if (w.p.ctx.freedAtEnd !== w.lastFreed) this.#countDrops(w);
    core.charge(CoreCat.Driver, polled * (ns[Op.ring_access_bypass] as number));
    core.charge(CoreCat.Stack, polled * (ns[Op.l3l4_rx] as number));
    core.charge(CoreCat.Sched, switched * (ns[Op.sched_running] as number));
    core.charge(CoreCat.Stack, crossInRemote * (ns[Op.cache_line_transfer] as number));
    core.charge(CoreCat.Stack, (crossIn - crossInRemote) * (ns[Op.lock_uncontended] as number));
    if (served > 0 && this.app.workOp >= 0) core.charge(CoreCat.App, ns[this.app.workOp] as number);
    core.charge(CoreCat.Stack, crossOut * (ns[Op.lock_uncontended] as number));
    core.charge(CoreCat.Stack, tx * (ns[Op.l3l4_tx] as number));
    core.charge(CoreCat.Driver, tx * (ns[Op.ring_access_bypass] as number));
    // Replies wait in app -> queue queues and in this step's TX list (frames are replies: ICMP
    // errors are off and ARP requests are answered by the same count they arrive with).
    this.repliesPending += w.queue >= 0 ? tx - crossIn : crossOut;
  }

  /** The end of worker `w`'s step: frames to the NIC, crossings become visible. */
  finishStep(w: Worker): void {
    const pool = this.host.testbed.pool;
    for (let i = 0; i < w.txCount; i++) {
      const b = w.tx[i] as number;
      if (this.host.nic.send(w.queue < 0 ? 0 : w.queue, b, pool.length[b] ?? 0)) {
        this.repliesSent++;
      }
    }
    this.repliesPending -= w.txCount;
    w.txCount = 0;
    for (let i = 0; i < w.outGates.length; i++) {
      const g = w.outGates[i] as Gate;
      const d = g.q.moved - (w.moved[i] ?? 0);
      w.moved[i] = g.q.moved;
      if (d > 0) {
        g.visible += d;
        g.consumer?.core.kick();
      }
    }
  }

  /** The server learns a client's MAC from its frame (static neighbour entries; no ARP traffic). */
  #learnArp(b: number): void {
    const pool = this.host.testbed.pool;
    const bytes = pool.bytes;
    const s = pool.start[b] ?? 0;
    if ((pool.length[b] ?? 0) < 34 || bytes[s + 12] !== 0x08 || bytes[s + 13] !== 0) return;
    const ip = ((bytes[s + 26] ?? 0) << 24 | (bytes[s + 27] ?? 0) << 16 |
      (bytes[s + 28] ?? 0) << 8 | (bytes[s + 29] ?? 0)) >>> 0;
    if (this.env.arpFind(ip) >= 0) return;
    const hi = (bytes[s + 6] ?? 0) << 8 | (bytes[s + 7] ?? 0);
    const lo = ((bytes[s + 8] ?? 0) << 24 | (bytes[s + 9] ?? 0) << 16 |
      (bytes[s + 10] ?? 0) << 8 | (bytes[s + 11] ?? 0)) >>> 0;
    this.env.arpInsert(ip, hi, lo);
  }

  /** Registers the flow of the datagram `app` just served, the first time it is seen. */
  #noteFlow(app: LpgServerApp): void {
    if (!this.#known.add(app.lastSrcIp, app.lastSrcPort)) return;
    this.#pendingFlows.push(app.lastSid, app.lastSrcIp, app.lastSrcPort);
    if (!this.#controlBusy) {
      this.#controlBusy = true;
      this.host.testbed.sim.after(0, this.#controlKind);
    }
  }

  /** One control-loop run over every flow registered since the last one. */
  #controlRun(): void {
    const f = this.#pendingFlows;
    const n = f.length / 3;
    if (n === 0) {
      this.#controlBusy = false;
      return;
    }
    this.#lastRecord = null;
    for (let i = 0; i < n; i++) {
      this.control.handle({
        kind: "flow",
        socket: f[3 * i] as number,
        local: { ip: this.#localIp, port: this.#port },
        remote: { ip: f[3 * i + 1] as number, port: f[3 * i + 2] as number },
        flags: i < n - 1 ? EventFlag.More : 0,
      });
    }
    this.flowsRegistered += n;
    f.length = 0;
    const r = this.#lastRecord as ReconfigRecord | null;
    if (r === null || r.error !== null) {
      this.reconfigurationFailures++;
      this.host.testbed.sim.after(0, this.#controlKind);
      return;
    }
    this.#applyQueue.push(r.ops);
    const t = this.#timing;
    const delay = Math.round(
      r.evaluated * t.searchNsPerCandidate + r.ops.length * t.filterWriteNs,
    );
    this.host.testbed.sim.after(delay, this.#applyKind);
  }

  #applyNext(): void {
    const ops = this.#applyQueue.shift();
    if (ops !== undefined) {
      this.host.nic.model.apply(ops);
      this.reconfigurations++;
      for (const op of ops) {
        if (op.op === "add") this.filtersInstalled++;
        else if (op.op === "remove") this.filtersInstalled--;
      }
      if (this.firstReconfigNs < 0) this.firstReconfigNs = this.host.testbed.sim.now;
    }
    this.#controlRun();
  }

  /** Adds the drops of worker `w`'s pipeline since the last look, by reason. */
  #countDrops(w: Worker): void {
    const now = dropsByReason(w.p.program, w.p.ctx);
    let counted = 0;
    for (const [reason, v] of now) {
      const d = v - (w.lastDrops.get(reason) ?? 0);
      if (d <= 0) continue;
      counted += d;
      const code = STACK_REASON[reason] ?? StackDrop.BadFrame;
      this.drops[code] = (this.drops[code] ?? 0) + d;
      const pr = this.#reasonCode.get(reason);
      if (code === StackDrop.BadFrame && pr !== undefined) {
        this.rx.reasons[pr] = (this.rx.reasons[pr] ?? 0) + d;
      }
    }
    const freed = w.p.ctx.freedAtEnd - w.lastFreed;
    if (freed > counted) {
      // Freed at the end of a run without a drop port: still a counted drop.
      this.drops[StackDrop.BadFrame] = (this.drops[StackDrop.BadFrame] ?? 0) + freed - counted;
    }
    w.lastDrops = now;
    w.lastFreed = w.p.ctx.freedAtEnd;
  }

  /**
   * The control loop's metrics for a results file (`other` field): reconfigurations applied and
   * failed, flows registered, filters installed, time of the first reconfiguration (only once
   * one took effect), pipeline switches on shared cores and the core count.
   */
  controlMetrics(): Record<string, { value: number; unit: "count" | "ns" }> {
    return {
      dragonet_reconfigurations: { value: this.reconfigurations, unit: "count" },
      dragonet_reconfiguration_failures: { value: this.reconfigurationFailures, unit: "count" },
      dragonet_flows_registered: { value: this.flowsRegistered, unit: "count" },
      dragonet_filters_installed: { value: this.filtersInstalled, unit: "count" },
      ...(this.firstReconfigNs < 0
        ? {}
        : { dragonet_first_reconfig_ns: { value: this.firstReconfigNs, unit: "ns" as const } }),
      dragonet_core_switches: { value: this.coreSwitches, unit: "count" },
    };
  }

  /** Requests in NIC rings, queue -> app queues and socket rings. */
  override inFlight(): number {
    const nic = this.host.nic;
    let n = 0;
    for (let q = 0; q < nic.queues; q++) n += nic.pending(q);
    for (const w of this.#workers) {
      if (w.app !== null) {
        n += w.app.waiting();
        for (const g of w.inGates) n += g.q.size;
      }
    }
    return n;
  }
}

/** Pipeline drop reasons that are not bad frames. */
const STACK_REASON: Readonly<Record<string, number>> = {
  "socket-full": StackDrop.SocketFull,
  "queue-full": StackDrop.SocketFull,
  "tx-full": StackDrop.SocketFull,
  "pending-full": StackDrop.SocketFull,
  "no-buffer": StackDrop.NoReplyBuffer,
  "no-headroom": StackDrop.NoReplyBuffer,
  "rate-limited": StackDrop.NoSocket,
  "ipv4-not-local": StackDrop.NoSocket,
  "eth-not-local": StackDrop.NoSocket,
};

/** Node number of the FromSocket node of socket `sid` in pipeline `p`, or -1. */
function findFromSocket(p: Pipeline<LpgEnv>, sid: number): number {
  const ids = p.program.ids;
  for (let n = 0; n < ids.length; n++) {
    const id = String(ids[n]);
    if (id.endsWith(`sock.s${sid}.from`)) return n;
  }
  return -1;
}
