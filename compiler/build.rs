//! Generates the parser from `src/grammar.lalrpop`, and links `lljit` as a
//! position-dependent executable: with LLVM linked statically, a PIE would
//! apply over 100,000 relocations at every start.
fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .process()
        .expect("lalrpop failed");
}
