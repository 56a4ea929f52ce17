// The chunk text both the mock writes and the readers check: every chunk is
//   #<seq in base 36>@<send time, µs on CLOCK_MONOTONIC, base 36>;<filler words>
// A stamp is taken right before the write. The filler is a function of seq only, so the readers
// know every byte except the times; it has no '#', '@', ';', '<' or edge whitespace, so the server's
// splitter passes it through untouched. About 10–25 characters a chunk, like DeepSeek's real ones.

const FILLER = ["", " so", " the sum", " is larger", ",", " check it", " again.", " and", " nine", " point"];

export function filler(seq) {
  return FILLER[seq % FILLER.length];
}

export function chunkText(seq, sendUs) {
  return "#" + seq.toString(36) + "@" + Math.round(sendUs).toString(36) + ";" + filler(seq);
}

/** The user message that asks the mock for a stream: it travels to the mock through the server unchanged. */
export function streamSpec(shape, rid) {
  return `rig-stream chunks=${shape.chunks} pacing-us=${shape.pacingUs} ttft-us=${shape.ttftUs}`
    + ` reasoning-pct=${shape.reasoningPct} rid=${rid}`;
}

const SPEC = /rig-stream chunks=(\d+) pacing-us=(\d+) ttft-us=(\d+) reasoning-pct=(\d+) rid=([A-Za-z0-9_.-]+)/;

export function parseSpec(text) {
  const m = SPEC.exec(text);
  return m && { chunks: +m[1], pacingUs: +m[2], ttftUs: +m[3], reasoningPct: +m[4], rid: m[5] };
}

export function reasoningChunks(shape) {
  return Math.floor(shape.chunks * shape.reasoningPct / 100);
}

const STAMP = /#([0-9a-z]+)@([0-9a-z]+);/g;

/**
 * Reads one stream's text as it arrives, possibly several chunks merged in one delta or one stamp
 * cut across two deltas. Each complete stamp gives one latency (receive time − send stamp). Order is
 * checked as it goes: the first problem is kept in `error`.
 */
export class StampReader {
  constructor(firstSeq, lastSeq, onChunk) {
    this.next = firstSeq;
    this.last = lastSeq;
    this.tail = "";
    this.onChunk = onChunk;
    this.error = null;
  }

  feed(text, recvUs) {
    const s = this.tail + text;
    STAMP.lastIndex = 0;
    let end = 0;
    let m;
    while ((m = STAMP.exec(s)) !== null) {
      const seq = parseInt(m[1], 36);
      if (seq !== this.next && this.error === null) {
        this.error = seq < this.next ? `chunk ${seq} again or out of order (expected ${this.next})`
          : `chunk ${this.next} missing (got ${seq})`;
      }
      if (seq > this.last && this.error === null) {
        this.error = `chunk ${seq} beyond ${this.last} in this part`;
      }
      this.next = seq + 1;
      this.onChunk(seq, recvUs - parseInt(m[2], 36), recvUs);
      end = STAMP.lastIndex;
    }
    // keep only what may still be the start of a stamp cut across deltas
    const hash = s.lastIndexOf("#");
    this.tail = hash >= end ? s.slice(hash) : "";
  }

  /** Null when every chunk of this part came, else what is wrong. */
  finish() {
    if (this.error) return this.error;
    if (this.next !== this.last + 1) return `chunks ${this.next}..${this.last} missing`;
    return null;
  }
}

/**
 * Checks a whole rebuilt text byte for byte against what the mock sends for seqs first..last (any
 * send times). Null when it matches, else the first difference.
 */
export function checkText(text, firstSeq, lastSeq) {
  const token = /#([0-9a-z]+)@([0-9a-z]+);/y;
  let pos = 0;
  for (let seq = firstSeq; seq <= lastSeq; seq++) {
    token.lastIndex = pos;
    const m = token.exec(text);
    if (!m || parseInt(m[1], 36) !== seq) {
      return `at character ${pos}: expected chunk ${seq}, found ${JSON.stringify(text.slice(pos, pos + 30))}`;
    }
    pos = token.lastIndex;
    const f = filler(seq);
    if (text.slice(pos, pos + f.length) !== f) {
      return `chunk ${seq}: filler differs at character ${pos}`;
    }
    pos += f.length;
  }
  return pos === text.length ? null : `extra text after chunk ${lastSeq}: ${JSON.stringify(text.slice(pos, pos + 30))}`;
}
