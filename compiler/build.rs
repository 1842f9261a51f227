//! Generates the parser from `src/grammar.lalrpop`, compiles the small C++
//! part of the LLVM interface (`cpp/`, for what LLVM's C API lacks), and
//! links `lljit` as a position-dependent executable: with LLVM linked
//! statically, a PIE would apply over 100,000 relocations at every start.
use std::process::Command;

fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
    // Naming any rerun-if-changed file replaces cargo's default (rerun when
    // anything in the package changes), so the grammar is named too.
    println!("cargo:rerun-if-changed=src/grammar.lalrpop");
    println!("cargo:rerun-if-changed=build.rs");
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .process()
        .expect("lalrpop failed");
    compile_cpp();
}

/// Builds `cpp/*.cpp` against the headers of the LLVM that llvm-sys links.
fn compile_cpp() {
    println!("cargo:rerun-if-changed=cpp/target_cpus.cpp");
    println!("cargo:rerun-if-changed=cpp/emitter.cpp");
    println!("cargo:rerun-if-changed=cpp/absolute.cpp");
    println!("cargo:rerun-if-env-changed=LLVM_SYS_191_PREFIX");
    let bin = match std::env::var_os("LLVM_SYS_191_PREFIX") {
        Some(prefix) => std::path::PathBuf::from(prefix).join("bin"),
        None => "/usr/lib/llvm-19/bin".into(),
    };
    let config = bin.join("llvm-config");
    let out = Command::new(&config)
        .arg("--cxxflags")
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", config.display()));
    assert!(
        out.status.success(),
        "{} --cxxflags failed",
        config.display()
    );
    let mut build = cc::Build::new();
    build
        .cpp(true)
        .file("cpp/target_cpus.cpp")
        .file("cpp/emitter.cpp")
        .file("cpp/absolute.cpp")
        .warnings(false);
    // The clang that comes with this LLVM (scripts/setup installs it), unless $CXX says otherwise.
    if std::env::var_os("CXX").is_none() && bin.join("clang++").exists() {
        build.compiler(bin.join("clang++"));
    }
    for flag in String::from_utf8_lossy(&out.stdout).split_whitespace() {
        build.flag(flag);
    }
    build.compile("lljit_llvm_cpp");
}
