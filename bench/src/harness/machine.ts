/** The description of the machine a report was measured on. */
import { createRequire } from 'node:module';
import os from 'node:os';

export interface MachineInfo {
  os: string;
  arch: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  node: string;
  /** Versions of the runtimes underneath (those that could be resolved from here). */
  runtimes: Record<string, string>;
}

function versionOf(pkg: string, from: string): string | undefined {
  try {
    const require = createRequire(from);
    const entry = require.resolve(`${pkg}/package.json`);
    return (require(entry) as { version?: string }).version;
  } catch {
    return undefined;
  }
}

/** Where the backend packages live, so their (peer) runtimes resolve as they do for the backends. */
function packageAnchor(name: string): string | undefined {
  try {
    return new URL('.', import.meta.resolve(name)).href;
  } catch {
    return undefined;
  }
}

export function describeMachine(): MachineInfo {
  const cpus = os.cpus();
  const runtimes: Record<string, string> = {};
  const anchors: [string, string[]][] = [
    ['@striate/backend-ort', ['onnxruntime-node', 'onnxruntime-web']],
    ['@striate/backend-tfjs', ['@tensorflow/tfjs-core']],
    ['@striate/bench', ['sharp']],
  ];
  for (const [anchorPkg, pkgs] of anchors) {
    const anchor = packageAnchor(anchorPkg) ?? import.meta.url;
    for (const p of pkgs) {
      const v = versionOf(p, anchor) ?? versionOf(p, import.meta.url);
      if (v) runtimes[p] = v;
    }
  }
  return {
    os: `${os.type()} ${os.release()}`,
    arch: os.arch(),
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    runtimes,
  };
}
