//! Generates the batch of programs the tests run: `DIFFTEST_SEED` (default
//! fixed) and `DIFFTEST_COUNT` (default 200) programs, each emitted as Rust
//! under every lowering with the model's trace.

// The generator, the model and the Rust emitter are the library's own modules.
#[path = "src/ast.rs"]
#[allow(dead_code)]
mod ast;
#[path = "src/batch.rs"]
#[allow(dead_code)]
mod batch;
#[path = "src/emit_rust.rs"]
#[allow(dead_code)]
mod emit_rust;
#[path = "src/gen.rs"]
#[allow(dead_code)]
mod gen;
#[path = "src/model.rs"]
#[allow(dead_code)]
mod model;
#[path = "src/rng.rs"]
#[allow(dead_code)]
mod rng;

fn main() {
    for var in ["DIFFTEST_SEED", "DIFFTEST_COUNT", "DIFFTEST_KNOWN_BUGS"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    for file in [
        "build.rs",
        "src/ast.rs",
        "src/batch.rs",
        "src/emit_rust.rs",
        "src/gen.rs",
        "src/model.rs",
        "src/rng.rs",
    ] {
        println!("cargo:rerun-if-changed={file}");
    }
    let seed = batch::seed_from_env();
    let count = batch::count_from_env();
    let programs = batch::batch(seed, count, &batch::config_from_env());
    let out = std::path::PathBuf::from(std::env::var_os("OUT_DIR").expect("OUT_DIR"));
    std::fs::write(out.join("programs.rs"), emit_rust::batch(seed, &programs))
        .expect("write programs.rs");
}
