/**
 * Coalesces concurrent calls: while one batch is in flight, the calls arriving meanwhile wait and
 * go together in the next (at most `maxBatch` at a time); a call alone goes at once. `run`
 * answers a batch's inputs in order. If it throws, the batch is run again one input at a time,
 * so one bad input fails alone.
 */
export function createBatcher<TIn, TOut>(run: (inputs: TIn[]) => Promise<TOut[]>, maxBatch = 100) {
  const waiting: { input: TIn; resolve: (out: TOut) => void; reject: (e: unknown) => void }[] = [];
  let isRunning = false;

  const runOne = async (input: TIn): Promise<TOut> => {
    const [out] = await run([input]);
    return out as TOut;
  };

  async function drain() {
    if (isRunning) return;
    isRunning = true;
    try {
      while (waiting.length) {
        const batch = waiting.splice(0, maxBatch);
        try {
          const outs = await run(batch.map((w) => w.input));
          batch.forEach((w, i) => w.resolve(outs[i] as TOut));
        } catch (error) {
          if (batch.length === 1) batch[0]?.reject(error);
          else await Promise.all(batch.map((w) => runOne(w.input).then(w.resolve, w.reject)));
        }
      }
    } finally {
      isRunning = false;
    }
  }

  return {
    call(input: TIn): Promise<TOut> {
      return new Promise<TOut>((resolve, reject) => {
        waiting.push({ input, resolve, reject });
        void drain();
      });
    },
  };
}
