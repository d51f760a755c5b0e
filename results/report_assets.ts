/**
 * The browser builds of vega, vega-lite and vega-embed that the HTML report inlines (no CDN, no
 * network): read from the project's `node_modules` (`"nodeModulesDir": "auto"` in deno.json puts
 * them there once the packages are installed).
 *
 * @module
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The script code of the three browser builds, in load order. */
export interface ReportAssets {
  /** `vega/build/vega.min.js` (defines `vega`). */
  readonly vega: string;
  /** `vega-lite/build/vega-lite.min.js` (defines `vegaLite`; needs `vega`). */
  readonly vegaLite: string;
  /** `vega-embed/build/vega-embed.min.js` (defines `vegaEmbed`; needs both). */
  readonly vegaEmbed: string;
}

/** Where each build lives under `node_modules`. */
export const REPORT_ASSET_PATHS: Readonly<Record<keyof ReportAssets, string>> = {
  vega: "vega/build/vega.min.js",
  vegaLite: "vega-lite/build/vega-lite.min.js",
  vegaEmbed: "vega-embed/build/vega-embed.min.js",
};

/** The project's `node_modules` folder (this file lives in `<project>/results/`). */
export function defaultNodeModulesDir(): string {
  return join(fileURLToPath(new URL("../", import.meta.url)), "node_modules");
}

/**
 * Reads the three browser builds from `nodeModulesDir` (default: the project's).
 *
 * @throws {Error} naming the missing file and how to get it (`deno install`) when a build
 *   cannot be read
 */
export async function loadReportAssets(
  nodeModulesDir: string = defaultNodeModulesDir(),
): Promise<ReportAssets> {
  const read = async (key: keyof ReportAssets): Promise<string> => {
    const path = join(nodeModulesDir, REPORT_ASSET_PATHS[key]);
    try {
      return await Deno.readTextFile(path);
    } catch (err) {
      const reason = err instanceof Deno.errors.NotFound
        ? "no such file"
        : err instanceof Deno.errors.PermissionDenied
        ? "permission denied"
        : err instanceof Deno.errors.IsADirectory
        ? "it is a directory"
        : err instanceof Error
        ? err.message
        : String(err);
      throw new Error(
        `Cannot read the ${key} browser build "${path}" for the HTML report: ${reason}; ` +
          'run `deno install` in the project (deno.json has "nodeModulesDir": "auto") so ' +
          "node_modules holds vega, vega-lite and vega-embed",
      );
    }
  };
  return {
    vega: await read("vega"),
    vegaLite: await read("vegaLite"),
    vegaEmbed: await read("vegaEmbed"),
  };
}
