/**
 * Adversarial per-minute traces for the benchmark (`minute,count` CSVs, scaled later with
 * `gpufleet bench --peak-rps`): shapes a forecaster tuned on smooth daily cycles gets wrong.
 *
 * - step:    flat load with 10x steps lasting 90 minutes at random times (twice a day);
 * - shifted: a daily and weekly cycle whose second week starts 3 hours later and 40% higher;
 * - flat:    constant load, Poisson noise only;
 * - spiky:   a low daily cycle with heavy-tailed spikes that decay within minutes (social media).
 *
 * Run: npx tsx bench/traces.ts --out DIR [--days N] [--seed N]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { poisson, seededRandom } from "../sim/demo/random";

const DAY = 1440;

export type TraceShape = "step" | "shifted" | "flat" | "spiky";
export const TRACE_SHAPES: readonly TraceShape[] = ["step", "shifted", "flat", "spiky"];

/** A Poisson draw (Knuth up to 30, normal approximation above): per-minute counts of a rate. */
function poissonCount(mean: number, random: () => number): number {
  if (mean <= 0) return 0;
  if (mean > 30) {
    const u = Math.max(random(), 1e-12);
    const z = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  return poisson(mean, random);
}

/** Relative daily cycle: quiet at night, busy in the afternoon, quieter at weekends (day 5, 6 of a week). */
function diurnal(minute: number, shiftMinutes: number): number {
  const m = minute - shiftMinutes;
  const hour = (((m % DAY) + DAY) % DAY) / 60;
  const weekday = Math.floor(m / DAY) % 7;
  const weekend = weekday === 5 || weekday === 6 ? 0.6 : 1;
  return weekend * (0.3 + 0.7 * Math.exp(-0.5 * ((hour - 15) / 3.5) ** 2));
}

/** Expected requests per minute of `shape` at each minute (before Poisson noise); peak about 1000. */
export function traceRates(shape: TraceShape, days: number, seed: number): Float64Array {
  const random = seededRandom(seed);
  const minutes = days * DAY;
  const rates = new Float64Array(minutes);
  switch (shape) {
    case "flat":
      rates.fill(1000);
      break;
    case "step": {
      rates.fill(100);
      for (let d = 0; d < days; d++) {
        for (let k = 0; k < 2; k++) {
          const start = d * DAY + Math.floor(random() * (DAY - 90));
          for (let m = start; m < start + 90 && m < minutes; m++) rates[m] = 1000;
        }
      }
      break;
    }
    case "shifted":
      for (let m = 0; m < minutes; m++) {
        const second = m >= 7 * DAY;
        rates[m] = (second ? 1 : 1 / 1.4) * 1000 * diurnal(m, second ? 180 : 0);
      }
      break;
    case "spiky": {
      for (let m = 0; m < minutes; m++) rates[m] = 150 * diurnal(m, 0);
      const spikes = Math.round(days * 12);
      for (let k = 0; k < spikes; k++) {
        const start = Math.floor(random() * minutes);
        // Pareto-tailed height (shape 1.5): most spikes double the load, a few multiply it by ten.
        const height = Math.min(850, 100 * (1 - random()) ** (-1 / 1.5));
        const decay = 2 + random() * 8;
        for (let m = start; m < minutes && m < start + 60; m++)
          rates[m] = (rates[m] ?? 0) + height * Math.exp(-(m - start) / decay);
      }
      break;
    }
  }
  return rates;
}

/** The CSV of one trace: Poisson counts of its rates, deterministic for a seed. */
export function traceCsv(shape: TraceShape, days: number, seed: number): string {
  const rates = traceRates(shape, days, seed);
  const random = seededRandom(seed ^ 0x5bd1e995);
  const lines = ["minute,count"];
  for (let m = 0; m < rates.length; m++) lines.push(`${m},${poissonCount(rates[m] ?? 0, random)}`);
  return `${lines.join("\n")}\n`;
}

const HELP = `Usage: npx tsx bench/traces.ts --out DIR [--days N] [--seed N]

Writes the adversarial per-minute traces step.csv, shifted.csv, flat.csv and
spiky.csv (minute,count; peak about 1,000 requests a minute) into DIR. Scale them
with gpufleet bench --peak-rps. shifted.csv needs at least 8 days to shift.

Options:
  --out DIR    folder to write (created if missing)
  --days N     days per trace, 1 to 60 (default 2; shifted.csv is always at least 9)
  --seed N     seed of the random steps, spikes and noise (default 1)
  -h, --help   show this help
`;

function main(argv: string[]): number {
  const { values } = parseArgs({
    args: argv,
    options: {
      out: { type: "string" },
      days: { type: "string" },
      seed: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const days = Number(values.days ?? 2);
  const seed = Number(values.seed ?? 1);
  if (values.out === undefined) throw new Error("--out DIR is required (see --help)");
  if (!Number.isInteger(days) || days < 1 || days > 60) throw new Error(`--days (${values.days}) must be 1 to 60`);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    throw new Error(`--seed (${values.seed}) must be a whole number from 0 to 4294967295`);
  mkdirSync(values.out, { recursive: true });
  for (const shape of TRACE_SHAPES) {
    const file = join(values.out, `${shape}.csv`);
    writeFileSync(file, traceCsv(shape, shape === "shifted" ? Math.max(days, 9) : days, seed));
    process.stderr.write(`wrote ${file}\n`);
  }
  return 0;
}

if (process.argv[1]?.endsWith("traces.ts")) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench/traces.ts: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}
