//! Tests of the differential tester: determinism, validity of what it
//! generates (checked by lljit, compiled by clang), feature coverage, the
//! reducer, and detection of a mode that disagrees.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use difftest::ast::{BinOp, Expr, ExprKind, Func, Global, IntTy, Program, Sig, Stmt, Ty};
use difftest::campaign::{self, program_seed, Config};
use difftest::coverage::features;
use difftest::gen::{generate, Options};
use difftest::modes::{Mode, ModeKind};
use difftest::outcome::Outcome;
use difftest::reduce::{shrink, size};
use difftest::run::{compile_twins, evaluate, exec, Tools, LC_FILE};
use difftest::{emit_c, emit_lc};

fn lljit() -> PathBuf {
    if let Ok(p) = std::env::var("LLJIT") {
        return PathBuf::from(p);
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../target/release/lljit")
}

fn tools() -> Tools {
    Tools {
        lljit: lljit(),
        clang: "clang-19".into(),
        timeout: Duration::from_secs(30),
    }
}

fn programs(n: usize) -> Vec<Program> {
    (0..n)
        .map(|i| generate(program_seed(42, i), &Options::default()))
        .collect()
}

/// Writes `p` to `file` and asserts that `lljit check` accepts it.
fn assert_checks(p: &Program, file: &Path) {
    std::fs::write(file, emit_lc::emit(p).text).unwrap();
    let dir = file.parent().unwrap();
    let o = exec(
        Command::new(lljit()).arg("check").arg(file),
        dir,
        Duration::from_secs(30),
    );
    assert_eq!(
        o.status,
        difftest::outcome::Status::Exit(0),
        "seed {:#x}: {}",
        p.seed,
        o.stderr
    );
}

#[test]
fn a_seed_gives_the_same_program_every_time() {
    for i in 0..20 {
        let s = program_seed(7, i);
        let a = emit_lc::emit(&generate(s, &Options::default())).text;
        let b = emit_lc::emit(&generate(s, &Options::default())).text;
        assert_eq!(a, b, "seed {s:#x}");
    }
    let texts: std::collections::HashSet<String> = (0..20)
        .map(|i| emit_lc::emit(&generate(program_seed(7, i), &Options::default())).text)
        .collect();
    assert_eq!(texts.len(), 20, "different seeds give different programs");
}

#[test]
fn generated_programs_pass_lljit_check() {
    let dir = tempfile::tempdir().unwrap();
    for (i, p) in programs(40).iter().enumerate() {
        assert_checks(p, &dir.path().join(format!("p{i}.lc")));
    }
}

#[test]
fn avoided_features_are_left_out() {
    let o = Options::parse_avoid("neg-literal,fn-globals").unwrap();
    let dir = tempfile::tempdir().unwrap();
    for i in 0..20 {
        let p = generate(program_seed(3, i), &o);
        assert!(!features(&p).contains("global-init:fn"));
        assert_checks(&p, &dir.path().join("p.lc"));
    }
    assert!(Options::parse_avoid("nonsense").is_err());
}

#[test]
fn c_twins_compile_in_one_batch() {
    let dir = tempfile::tempdir().unwrap();
    let twins: Vec<(String, String)> = programs(24)
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let lc = emit_lc::emit(p);
            (
                format!("dt_prog_{k}"),
                emit_c::emit(p, &lc, LC_FILE, &format!("dt_prog_{k}")),
            )
        })
        .collect();
    compile_twins(&tools(), dir.path(), &twins).expect("twins compile");
}

#[test]
fn programs_cover_every_feature() {
    let mut all = std::collections::BTreeSet::new();
    for p in programs(300) {
        all.extend(features(&p));
    }
    let mut want: Vec<String> = vec![];
    for t in ["i8", "i16", "i32", "i64", "u8", "u16", "u32", "u64"] {
        for op in [
            "+", "-", "*", "/", "%", "&", "|", "^", "<<", ">>", "==", "!=", "<", "<=", ">", ">=",
        ] {
            want.push(format!("op:{op}:{t}"));
        }
        want.push(format!("unary:Neg:{t}"));
        want.push(format!("unary:BitNot:{t}"));
    }
    for t in ["f32", "f64"] {
        for op in ["+", "-", "*", "/", "==", "<"] {
            want.push(format!("op:{op}:{t}"));
        }
        want.push(format!("unary:Neg:{t}"));
    }
    for w in [
        "op:&&:bool",
        "op:||:bool",
        "unary:Not:bool",
        "op:==:fn",
        "op:==:ptr",
        "op:<:ptr",
        "op:+:ptr",
        "ptr-ptr:-",
        "cond:int",
        "cond:float",
        "cond:bool",
        "cond:fn",
        "cast:int->int",
        "cast:int-truncate",
        "cast:int-extend",
        "cast:int-same-width",
        "cast:int->float",
        "cast:float->int",
        "cast:float->float",
        "cast:bool->int",
        "cast:ptr->ptr",
        "cast:ptr->int",
        "cast:int->ptr",
        "cast:fn->ptr",
        "cast:ptr->fn",
        "divisor:zero",
        "divisor:minus-one",
        "compound:/",
        "compound:<<",
        "compound:+",
        "compound:%",
        "compound:>>",
        "index:array",
        "index:pointer",
        "field:struct",
        "field:ptr",
        "deref",
        "addr-of",
        "string",
        "literal:struct",
        "literal:array",
        "fn-value",
        "global-init:fn",
        "global:fn",
        "global-array:fn",
        "global:array",
        "global:struct",
        "field:fn",
        "field:array",
        "local:array",
        "local:struct",
        "local:fn",
        "local:pointer",
        "local:null-pointer",
        "param:struct",
        "param:array",
        "param:pointer",
        "return:struct",
        "return:array",
        "call:direct",
        "call:recursive",
        "call:through-variable",
        "call:through-field",
        "call:through-array",
        "call:through-expression",
        "stmt:for",
        "stmt:while",
        "sizeof:struct",
        "sizeof:array",
        "sizeof:int",
        "stmt:break",
        "stmt:continue",
        "stmt:if-else",
        "stmt:call-stmt",
        "builtin:popcount:int",
        "builtin:clz:int",
        "builtin:ctz:int",
        "builtin:bswap:int",
        "builtin:min:int",
        "builtin:max:int",
        "builtin:sqrt:float",
        "builtin:fabs:float",
        "builtin:floor:float",
        "builtin:fma:float",
        "builtin:min:float",
        "builtin:max:float",
    ] {
        want.push(w.to_string());
    }
    let missing: Vec<&String> = want.iter().filter(|w| !all.contains(*w)).collect();
    assert!(missing.is_empty(), "features never generated: {missing:?}");
}

#[test]
fn the_reducer_shrinks_a_synthetic_failure() {
    // "Fails" while some shift is left.
    let has_shift = |p: &Program| {
        let mut p = p.clone();
        let mut found = false;
        for f in &mut p.funcs {
            difftest::ast::walk_stmts_mut(&mut f.body, &mut |e| {
                if let ExprKind::Binary(BinOp::Shl, _, _) = e.kind {
                    found = true;
                }
            });
        }
        found
    };
    let p = programs(10)
        .into_iter()
        .find(|p| has_shift(p) && size(p) > 300)
        .expect("a program with a shift");
    let small = shrink(&p, Duration::from_secs(60), &mut |c| has_shift(c));
    assert!(has_shift(&small));
    assert!(
        size(&small) * 10 < size(&p),
        "reduced from {} to only {}",
        size(&p),
        size(&small)
    );
    assert!(
        small.funcs.len() <= 4,
        "{} functions left",
        small.funcs.len()
    );
}

/// `lljit aot -O0`, with one byte of output changed.
fn altered_aot(lljit: &Path, lc: &Path) -> Outcome {
    let dir = lc.parent().unwrap();
    exec(
        Command::new(lljit).args(["aot", "-O0", LC_FILE, "-o", "fake"]),
        dir,
        Duration::from_secs(30),
    );
    let mut o = exec(
        &mut Command::new(dir.join("fake")),
        dir,
        Duration::from_secs(30),
    );
    o.stdout.push('!');
    o
}

#[test]
fn a_disagreeing_mode_is_detected() {
    let modes = [
        Mode {
            name: "aot-O0",
            kind: ModeKind::Aot,
            args: &["-O0"],
        },
        Mode {
            name: "fake",
            kind: ModeKind::Custom(altered_aot),
            args: &[],
        },
    ];
    let p = generate(
        program_seed(11, 0),
        &Options::parse_avoid("neg-literal").unwrap(),
    );
    let dir = tempfile::tempdir().unwrap();
    let f = evaluate(&tools(), &modes, &p, dir.path()).expect("a failure");
    assert_eq!(f.signature, "fake: stdout");
    assert!(
        evaluate(&tools(), &modes[..1], &p, dir.path()).is_none(),
        "AOT agrees with the C twin"
    );
}

#[test]
fn a_campaign_agrees_with_the_twins_and_compares_traps() {
    let cfg = Config {
        count: 32,
        seed: 5,
        jobs: 2,
        batch: 8,
        keep: None,
        reduce: false,
        reduce_budget: Duration::from_secs(1),
        reduce_max: 0,
        opts: Options::parse_avoid("neg-literal").unwrap(),
    };
    let modes = [Mode {
        name: "aot-O2",
        kind: ModeKind::Aot,
        args: &["-O2"],
    }];
    let r = campaign::run(&cfg, &tools(), &modes);
    assert_eq!(r.programs, 32);
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert!(
        r.traps > 0 && r.traps < 16,
        "{} of 32 programs trap",
        r.traps
    );
}

/// `g >>= f()` where `f` assigns `g`: the old value of `g` is read before
/// the call (the twin once read it after).
#[test]
fn compound_assignment_reads_the_place_before_the_value() {
    let u8t = Ty::Int(IntTy::U8);
    let i16t = Ty::Int(IntTy::I16);
    let e = |id, ty: &Ty, kind| Expr {
        id,
        ty: ty.clone(),
        kind,
    };
    let f_ty = Ty::Fn(Sig {
        params: vec![],
        ret: Some(Box::new(i16t.clone())),
    });
    let f = Func {
        name: "f".into(),
        params: vec![],
        ret: Some(i16t.clone()),
        body: vec![
            Stmt::Assign {
                id: 1,
                place: e(2, &u8t, ExprKind::Var("g".into())),
                op: Some(BinOp::Rem),
                value: e(3, &u8t, ExprKind::Int(4)),
            },
            Stmt::Return(Some(e(4, &i16t, ExprKind::Int(0)))),
        ],
    };
    let call = e(
        6,
        &i16t,
        ExprKind::Call(Box::new(e(7, &f_ty, ExprKind::FnRef("f".into()))), vec![]),
    );
    let main = Func {
        name: "main".into(),
        params: vec![],
        ret: Some(Ty::Int(IntTy::I32)),
        body: vec![
            Stmt::Assign {
                id: 5,
                place: e(8, &u8t, ExprKind::Var("g".into())),
                op: Some(BinOp::Shr),
                value: call,
            },
            Stmt::Mix(e(9, &u8t, ExprKind::Var("g".into()))),
            Stmt::Print,
            Stmt::Return(Some(e(10, &Ty::Int(IntTy::I32), ExprKind::Int(0)))),
        ],
    };
    let p = Program {
        seed: 0,
        structs: vec![],
        globals: vec![Global {
            name: "g".into(),
            ty: u8t.clone(),
            init: Some(e(11, &u8t, ExprKind::Int(4))),
        }],
        funcs: vec![f, main],
    };
    let modes = [Mode {
        name: "aot-O0",
        kind: ModeKind::Aot,
        args: &["-O0"],
    }];
    let dir = tempfile::tempdir().unwrap();
    assert_eq!(evaluate(&tools(), &modes, &p, dir.path()), None);
}
