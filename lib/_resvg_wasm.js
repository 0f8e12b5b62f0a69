// The resvg wasm module as a source-phase import: compiled into the deployment, never fetched at
// run time (TypeScript cannot parse `import source` yet, hence a .js file; its type is the .d.ts).
import source wasm from "@resvg/resvg-wasm/index_bg.wasm";
export default wasm;
