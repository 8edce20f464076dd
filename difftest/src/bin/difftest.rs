//! The difftest command line.
//!
//! - `difftest show SEED INDEX`: program INDEX of batch SEED as Rust (default
//!   lowering), as Go, and its model trace.
//! - `difftest go [--seed S] [--count N] [--go PATH] [--keep DIR]`: runs a
//!   batch with Go (default `/usr/lib/go-1.19/bin/go`, or `$GO`) and compares
//!   every program's output with the model; exits 1 on any disagreement.
//! - `difftest stats [--seed S] [--count N]`: what a batch exercises.

use std::path::PathBuf;
use std::process::{Command, ExitCode};

use godefer_difftest::ast::*;
use godefer_difftest::batch::{self, DEFAULT_COUNT, DEFAULT_SEED};
use godefer_difftest::{emit_go, emit_rust, gen, rng, rt};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("show") if args.len() == 3 => {
            let seed = parse(&args[1]);
            let index = parse::<usize>(&args[2]);
            show(seed, index);
            ExitCode::SUCCESS
        }
        Some("go") => go(&Options::parse(&args[1..])),
        Some("stats") => {
            stats(&Options::parse(&args[1..]));
            ExitCode::SUCCESS
        }
        _ => {
            eprintln!(
                "usage: difftest show SEED INDEX\n       difftest go [--seed S] [--count N] [--go PATH] [--keep DIR]\n       difftest stats [--seed S] [--count N]"
            );
            ExitCode::from(2)
        }
    }
}

fn parse<T: std::str::FromStr>(s: &str) -> T {
    s.parse()
        .unwrap_or_else(|_| panic!("{s:?} is not a number"))
}

struct Options {
    seed: u64,
    count: usize,
    go: PathBuf,
    keep: Option<PathBuf>,
}

impl Options {
    fn parse(args: &[String]) -> Options {
        let mut o = Options {
            seed: DEFAULT_SEED,
            count: DEFAULT_COUNT,
            go: std::env::var_os("GO")
                .map_or_else(|| "/usr/lib/go-1.19/bin/go".into(), PathBuf::from),
            keep: None,
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().unwrap_or_else(|| panic!("{flag} needs a value"));
            match flag.as_str() {
                "--seed" => o.seed = parse(value),
                "--count" => o.count = parse(value),
                "--go" => o.go = value.into(),
                "--keep" => o.keep = Some(value.into()),
                other => panic!("unknown option {other}"),
            }
        }
        o
    }
}

fn show(seed: u64, index: usize) {
    let config = batch::config_from_env();
    let (p, trace) = gen::program(rng::program_seed(seed, index), &config);
    let known_bug = godefer_difftest::model::run(&p, usize::MAX).is_some_and(|r| r.known_bug);
    println!("// program {index} of seed {seed}, inputs {:?}", p.inputs);
    if known_bug {
        println!("// its trace depends on a known library bug (tests/bugs.rs)");
    }
    println!();
    println!("// ---- Rust (default lowering) ----");
    print!("{}", emit_rust::program(&p, "", ""));
    println!("\n// ---- Go ----");
    print!("{}", emit_go::program(index, &p));
    println!("\n// ---- model trace ----");
    for line in trace {
        println!("{line}");
    }
}

fn go(o: &Options) -> ExitCode {
    let config = batch::config_from_env();
    let programs = batch::batch(o.seed, o.count, &config);
    let dir = o.keep.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!(
            "godefer-difftest-{}-{}",
            std::process::id(),
            o.seed
        ))
    });
    std::fs::create_dir_all(&dir).expect("create the Go directory");
    let src = dir.join("main.go");
    std::fs::write(&src, emit_go::batch(&programs)).expect("write main.go");
    let bin = dir.join("programs");
    let build = Command::new(&o.go)
        .arg("build")
        .arg("-o")
        .arg(&bin)
        .arg(&src)
        .env("GO111MODULE", "off")
        .env("GOFLAGS", "")
        .output();
    let build = match build {
        Ok(b) => b,
        Err(e) => {
            eprintln!(
                "cannot run {}: {e} (install Go 1.19: apt-get install -y golang-1.19-go)",
                o.go.display()
            );
            return ExitCode::from(2);
        }
    };
    if !build.status.success() {
        eprintln!(
            "go build failed (the Go emitter's fault):\n{}",
            String::from_utf8_lossy(&build.stderr)
        );
        eprintln!("source kept in {}", dir.display());
        return ExitCode::FAILURE;
    }
    let run = Command::new(&bin).output().expect("run the Go programs");
    let stdout = String::from_utf8_lossy(&run.stdout);
    let mut outputs: Vec<Vec<String>> = vec![Vec::new(); programs.len()];
    let mut current: Option<usize> = None;
    for line in stdout.lines() {
        if let Some(i) = (0..programs.len())
            .find(|&i| line == emit_go::marker(i))
            .filter(|&i| Some(i) != current)
        {
            current = Some(i);
            continue;
        }
        match current {
            Some(i) => outputs[i].push(line.to_string()),
            None => eprintln!("unexpected line before the first program: {line}"),
        }
    }
    let mut disagreements = 0;
    for (index, ((_, model), go)) in programs.iter().zip(&outputs).enumerate() {
        if model != go {
            disagreements += 1;
            println!(
                "program {index} of seed {}: Go 1.19 (+) differs from the model (-):",
                o.seed
            );
            print!("{}", rt::diff(model, go));
            println!(
                "  show it: cargo run -p godefer-difftest --bin difftest -- show {} {index}",
                o.seed
            );
        }
    }
    let status = if run.status.success() {
        String::new()
    } else {
        format!(
            " (Go exited with {}: {})",
            run.status,
            String::from_utf8_lossy(&run.stderr)
                .lines()
                .next()
                .unwrap_or("")
        )
    };
    println!(
        "seed {}: {} programs compared with {}, {disagreements} disagreements{status}",
        o.seed,
        programs.len(),
        o.go.display()
    );
    if o.keep.is_none() {
        let _ = std::fs::remove_dir_all(&dir);
    }
    if disagreements == 0 && run.status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

/// Counts of what a batch exercises.
fn stats(o: &Options) {
    let programs = batch::batch(o.seed, o.count, &batch::config_from_env());
    let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut bump = |k: &'static str, yes: bool| {
        if yes {
            *counts.entry(k).or_default() += 1;
        }
    };
    let mut lines = 0;
    for (p, trace) in &programs {
        lines += trace.len();
        let known = godefer_difftest::model::run(p, usize::MAX).is_some_and(|r| r.known_bug);
        bump(
            "programs with a known-bug pattern (generated only with DIFFTEST_KNOWN_BUGS=1)",
            known,
        );
        let src = format!("{p:?}");
        bump(
            "programs with a defer in a loop",
            p.funcs.iter().any(Func::has_loop_defer),
        );
        bump("programs with result-form defers", src.contains("Ret {"));
        bump("programs with recover()", src.contains("Recover"));
        bump("programs with `?`", src.contains("Try("));
        bump(
            "traces with a recovered panic",
            trace.iter().any(|l| {
                l.contains(" recovered ")
                    || (l.contains(" recover ") && !l.ends_with(" recover nil"))
            }),
        );
        bump(
            "traces with an escaped panic",
            trace.iter().any(|l| l.starts_with("top escaped")),
        );
        bump(
            "traces with the no-zero-value panic",
            trace.iter().any(|l| l.contains("has no result to return")),
        );
        bump(
            "traces with a deferred call that panicked",
            trace
                .iter()
                .any(|l| l.contains(" boom ") || l.contains(" panic x=")),
        );
        bump(
            "traces with an Err return",
            trace.iter().any(|l| l.contains("returned err")),
        );
    }
    println!(
        "seed {}: {} programs, {} trace lines",
        o.seed,
        programs.len(),
        lines
    );
    for (k, v) in counts {
        println!("  {k}: {v}");
    }
}
