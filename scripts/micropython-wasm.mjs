// Runs a Python file with MicroPython's WebAssembly port (the npm package
// @micropython/micropython-webassembly-pyscript) under node: the
// MicroPython reference of `p14p bench --micropython scripts/micropython.sh`
// where no native `micropython` is installed. Its heap is 64 MiB, as the
// benchmarks build large lists; its stdout is the program's.
import { loadMicroPython } from "@micropython/micropython-webassembly-pyscript";
import { readFileSync } from "node:fs";

const file = process.argv[2];
if (!file) {
  console.error("usage: node micropython-wasm.mjs FILE.py");
  process.exit(2);
}
let failed = false;
const mp = await loadMicroPython({
  heapsize: 64 * 1024 * 1024,
  linebuffer: true,
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => {
    failed = true;
    process.stderr.write(line + "\n");
  },
});
try {
  mp.runPython(readFileSync(file, "utf8"));
} catch (e) {
  console.error(String(e));
  failed = true;
}
process.exit(failed ? 1 : 0);
