// Drives Espressif's esptool-js (normally a browser library on Web Serial) from Node over a pty,
// to flash the toolkit's ROM loader simulator. Usage:
//   node adapter.mjs --port PATH [--compress] [--baud N] --image FILE@ADDR [--image ...]
// Prints one JSON line at the end: {"chip":..., "mac":..., "files":[{"address","md5File","md5Flash"}]}.
//
// What esptool-js needs from a port is the Web Serial SerialPort interface, used by its Transport:
// open({baudRate}), close(), readable (a ReadableStream of Uint8Array), writable (a
// WritableStream), setSignals({dataTerminalReady, requestToSend}) and getInfo(). PtySerialPort
// below implements that over the pty's file descriptor; setBaudRate() lets Transport change the
// rate in place. A pty has no modem lines, so setSignals only records the calls.
import fs from "node:fs";
import tty from "node:tty";
import crypto from "node:crypto";
import { ESPLoader, Transport } from "esptool-js";

class PtySerialPort {
  constructor(path) {
    this.path = path;
    this.readable = null;
    this.writable = null;
    this.signals = [];
    this.baudRate = 0;
  }

  async open(options) {
    this.baudRate = options.baudRate;
    const fd = fs.openSync(this.path, fs.constants.O_RDWR | fs.constants.O_NOCTTY);
    this.fd = fd;
    this.stream = new tty.ReadStream(fd);
    const stream = this.stream;
    this.readable = new ReadableStream({
      start(controller) {
        stream.on("data", (chunk) => controller.enqueue(new Uint8Array(chunk)));
        stream.on("end", () => controller.close());
        stream.on("error", (e) => controller.error(e));
      },
      cancel() {
        stream.pause();
      },
    });
    this.writable = new WritableStream({
      write(chunk) {
        return new Promise((resolve, reject) =>
          fs.write(fd, chunk, (err) => (err ? reject(err) : resolve())));
      },
    });
  }

  async close() {
    this.readable = null;
    this.writable = null;
    if (this.stream) {
      this.stream.destroy(); // closes the fd
      this.stream = null;
    }
  }

  async setSignals(signals) {
    this.signals.push(signals);
  }

  async setBaudRate(baud) {
    this.baudRate = baud; // a pty carries any rate
  }

  getInfo() {
    return {}; // not USB: esptool-js picks the classic reset, not the USB-JTAG one
  }
}

function parseArgs(argv) {
  const args = { images: [], compress: false, baud: 115200 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--port") args.port = argv[++i];
    else if (a === "--image") args.images.push(argv[++i]);
    else if (a === "--compress") args.compress = true;
    else if (a === "--baud") args.baud = Number(argv[++i]);
    else throw new Error("unknown argument " + a);
  }
  return args;
}

const md5 = (data) => crypto.createHash("md5").update(data).digest("hex");
const log = [];
const terminal = {
  clean() {},
  writeLine(s) { log.push(s); },
  write(s) { log.push(s); },
};

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const port = new PtySerialPort(args.port);
  const transport = new Transport(port, false);
  const loader = new ESPLoader({ transport, baudrate: args.baud, romBaudrate: 115200, terminal });

  // Connect (reset sequence, SYNC) and identify the chip: esptool-js's own code.
  await loader.detectChip("default_reset");
  const mac = await loader.chip.readMac(loader);

  // ESPLoader.main() would now upload esptool-js's RAM stub (MEM_BEGIN/DATA/END, then wait for
  // "OHAI"). The simulator is the ROM loader alone, so the ROM path is driven step by step,
  // as esptool does with --no-stub:
  //  - ROM-sized blocks of 0x400: the loader's default 0x4000 is the stub's, and esptool-js's ESP8266
  //    class also says 0x4000 (esptool's ESP8266 ROM class uses 0x400);
  //  - SPI_ATTACH in the ROM's 8-byte form: ESPLoader.flashSpiAttach() sends the stub's 4 bytes
  //    and main() never attaches on the ROM path;
  //  - the baud change, which main() does after the stub upload.
  loader.FLASH_WRITE_SIZE = 0x400;
  if (loader.chip.CHIP_NAME !== "ESP8266") {
    await loader.checkCommand("attach SPI flash", loader.ESP_SPI_ATTACH, new Uint8Array(8));
    if (args.baud !== 115200) {
      await loader.changeBaud();
    }
  }

  const fileArray = [];
  for (const spec of args.images) {
    const at = spec.lastIndexOf("@");
    fileArray.push({ data: new Uint8Array(fs.readFileSync(spec.slice(0, at))), address: Number(spec.slice(at + 1)) });
  }
  await loader.writeFlash({
    fileArray,
    flashMode: "keep",
    flashFreq: "keep",
    flashSize: "keep",
    eraseAll: false,
    compress: args.compress,
    // Left out on purpose: on the ROM path writeFlash() hex-encodes the ROM's 32 ASCII MD5
    // characters a second time (toHex of the response bytes), so its own comparison cannot
    // match. The MD5 is read below with flashMd5sum() and decoded as ASCII instead.
  });

  const files = [];
  for (const f of fileArray) {
    const padded = f.data.length % 4 === 0 ? f.data : Uint8Array.from([...f.data, ...new Array(4 - (f.data.length % 4)).fill(0xff)]);
    let md5Flash = null;
    if (loader.chip.CHIP_NAME !== "ESP8266") {
      const hexOfAscii = await loader.flashMd5sum(f.address, padded.length);
      md5Flash = Buffer.from(hexOfAscii, "hex").toString("ascii");
    }
    files.push({ address: f.address, md5File: md5(padded), md5Flash, md5ReportedByEsptoolJs: md5Flash ? Buffer.from(md5Flash).toString("hex") : null });
  }
  await loader.after("hard_reset");
  await transport.disconnect();
  console.log(JSON.stringify({ chip: loader.chip.CHIP_NAME, mac, baud: loader.baudrate, files, resetSignals: port.signals.length }));
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error("esptool-js failed: " + (e && e.stack ? e.stack : e));
    console.error(log.join("\n"));
    process.exit(1);
  },
);
