/** resvg's compiled WebAssembly module. */
declare const wasm: WebAssembly.Module;
export default wasm;
