/**
 * The island bundles (DESIGN "Portals", Fresh's model): each island in `ISLANDS` becomes an
 * entry that hydrates the server-rendered markers `<div data-island="Name" data-props=…>`
 * with the same component. esbuild bundles them once per process, on first use, with code
 * splitting (Preact is one shared chunk) and content hashes in the file names, so the
 * browser caches them for good (`Cache-Control: immutable`).
 *
 * @module
 */
import * as esbuild from "esbuild";

/** Every island: its name in markers and its module under `portal/islands/`. */
export const ISLANDS = {
  LiveLines: "live_lines.tsx",
  ActivationStepper: "activation_stepper.tsx",
  CopyButton: "copy_button.tsx",
  ChatWidget: "chat_widget.tsx",
} as const;

/** An island's name. */
export type IslandName = keyof typeof ISLANDS;

/** The built bundles: file name → body, and each island's entry file name. */
export interface Bundles {
  files: Map<string, Uint8Array<ArrayBuffer>>;
  entry: Record<IslandName, string>;
}

const HERE = new URL(".", import.meta.url).pathname;
const ROOT = new URL("../../", import.meta.url).pathname;

function entrySource(name: string, file: string): string {
  return `import { h, hydrate } from "preact";
import Island from ${JSON.stringify(HERE + file)};
for (const el of document.querySelectorAll('[data-island="${name}"]')) {
  hydrate(h(Island, JSON.parse(el.dataset.props || "{}")), el);
}
`;
}

/** Builds every island (minified, ES modules, shared chunks). */
export async function buildIslands(): Promise<Bundles> {
  const dir = await Deno.makeTempDir({ prefix: "bss_islands_" });
  try {
    const entryPoints: Record<string, string> = {};
    for (const [name, file] of Object.entries(ISLANDS)) {
      const path = `${dir}/${name}.ts`;
      await Deno.writeTextFile(path, entrySource(name, file));
      entryPoints[name] = path;
    }
    const result = await esbuild.build({
      entryPoints,
      outdir: "/islands",
      bundle: true,
      splitting: true,
      format: "esm",
      minify: true,
      write: false,
      metafile: true,
      target: "es2020",
      jsx: "automatic",
      jsxImportSource: "preact",
      nodePaths: [`${ROOT}node_modules`],
      entryNames: "[name]-[hash]",
      chunkNames: "chunk-[hash]",
      logLevel: "silent",
    });
    const files = new Map<string, Uint8Array<ArrayBuffer>>();
    for (const f of result.outputFiles) {
      files.set(f.path.replace(/^.*\//, ""), new Uint8Array(f.contents));
    }
    const entry = {} as Record<IslandName, string>;
    for (const [out, meta] of Object.entries(result.metafile.outputs)) {
      const name = meta.entryPoint?.replace(/^.*\//, "").replace(/\.ts$/, "");
      if (name && name in ISLANDS) entry[name as IslandName] = out.replace(/^.*\//, "");
    }
    return { files, entry };
  } finally {
    await esbuild.stop();
    await Deno.remove(dir, { recursive: true });
  }
}

let built: Promise<Bundles> | undefined;

/** The bundles of this process, built on first call. */
export function islandBundles(): Promise<Bundles> {
  built ??= buildIslands().catch((e) => {
    built = undefined;
    throw e;
  });
  return built;
}
