import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A private `nats-server -js` for tests that kill and restart NATS without disturbing others. */
export interface NatsServerProcess {
  readonly port: number;
  readonly url: string;
  /** The HTTP monitoring port (`-m`), when asked for: `/healthz`, `/jsz`. */
  readonly monitorPort: number | null;
  /** Stops the server (`SIGKILL` by default: a crash, not a clean shutdown). */
  stop(signal?: NodeJS.Signals): Promise<void>;
  /** Starts it again on the same port and store directory. */
  restart(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

async function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1');
  });
}

/**
 * Starts `nats-server -js -p <free port> [-m <free port>] -sd <storeDirectory>` (the `nats-server` binary on the
 * PATH, or `NATS_SERVER_BIN`) and waits until it accepts connections.
 */
export async function startNatsServer(
  storeDirectory: string,
  { monitor = false }: { monitor?: boolean } = {},
): Promise<NatsServerProcess> {
  const port = await freePort();
  const monitorPort = monitor ? await freePort() : null;
  const binary = process.env.NATS_SERVER_BIN ?? 'nats-server';
  let child: ChildProcess | null = null;
  const launch = async () => {
    const started = spawn(
      binary,
      [
        '-js',
        '-a',
        '127.0.0.1',
        '-p',
        `${port}`,
        ...(monitorPort === null ? [] : ['-m', `${monitorPort}`]),
        '-sd',
        storeDirectory,
      ],
      {
        stdio: 'ignore',
      },
    );
    child = started;
    const failed = new Promise<never>((_, reject) =>
      started.once('error', (error) =>
        reject(new Error(`cannot start ${binary}: ${error.message}`)),
      ),
    );
    const ready = (async () => {
      for (let attempt = 0; attempt < 200; attempt += 1) {
        if (await accepts(port)) return;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`${binary} did not listen on ${port}`);
    })();
    await Promise.race([ready, failed]);
  };
  await launch();
  return {
    port,
    url: `127.0.0.1:${port}`,
    monitorPort,
    async stop(signal = 'SIGKILL') {
      const running = child;
      child = null;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill(signal);
      await exited;
    },
    restart: launch,
  };
}
