/**
 * `scanFrames`: streams every frame of an Ethernet pcap through a `FrameInspector`, handing the
 * record and the inspection to a callback (one reused view and inspector for the whole file).
 *
 * @module
 */
import { LinkType, linkTypeName } from "./format.ts";
import { PcapRecordView } from "./record.ts";
import { FrameInspector } from "./inspect.ts";
import type { PcapReader } from "./reader.ts";

/**
 * Calls `onFrame` for each of the next `limit` frames (default all); resolves to the number
 * seen. `onFrame` may return a promise (e.g. to write output), which is awaited. Throws an Error
 * naming the link type if the file is not Ethernet, and `PcapError` for a damaged file.
 */
export async function scanFrames(
  reader: PcapReader,
  onFrame: (rec: PcapRecordView, insp: FrameInspector) => void | Promise<void>,
  limit = Infinity,
): Promise<number> {
  if (reader.linkType !== LinkType.Ethernet) {
    throw new Error(
      `Cannot decode "${reader.name}": link type ${
        linkTypeName(reader.linkType)
      } (${reader.linkType}), only ${
        linkTypeName(LinkType.Ethernet)
      } (${LinkType.Ethernet}) frames are decoded`,
    );
  }
  const view = new PcapRecordView();
  const insp = new FrameInspector();
  const fcs = reader.header.fcsBytes;
  let n = 0;
  while (n < limit) {
    while (n < limit && reader.tryNext(view)) {
      insp.inspect(view.bytes, view.offset, view.capLen, view.origLen, fcs);
      const r = onFrame(view, insp);
      if (r !== undefined) await r;
      n++;
    }
    if (n >= limit || !(await reader.fill())) break;
  }
  while (n < limit && reader.tryNext(view)) {
    insp.inspect(view.bytes, view.offset, view.capLen, view.origLen, fcs);
    const r = onFrame(view, insp);
    if (r !== undefined) await r;
    n++;
  }
  return n;
}
