#!/usr/bin/env python3
"""Target 6: the compile time of 1,000 `#[with_defer]` functions against the
same functions written with scopeguard (and with no cleanup at all, the floor).

Writes three crates into a scratch directory (under $CARGO_TARGET_DIR, or
target/, by default), each a standalone package with the same 1,000 functions:

  with_defer   `#[with_defer]` + `defer!` (open-coded: 3 exits x 2 defers)
  scopeguard   `scopeguard::defer!` at the same places
  plain        no cleanup

and measures, for each, on stable Rust:

  - clean build with dependencies: `cargo clean` then `cargo build` (the
    proc-macro crate and syn for godefer, nothing for scopeguard);
  - the crate alone, dependencies built: `cargo check` and `cargo build`
    after touching src/lib.rs, the three crates interleaved, median of N;
  - macro expansion alone: rustc's `-Z time-passes` (`macro_expand_crate`),
    and the size of the expanded crate (`-Z unpretty=expanded`), which stable
    rustc accepts with RUSTC_BOOTSTRAP=1 (used for measuring only, in a target
    dir of its own).

Run alone: python3 benches/compile_time.py [--runs N] [--json out.json]
benches/run.py imports it and puts the numbers in docs/benchmarks.md.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FUNCTIONS = 1000

HEADER = {
    "with_defer": "use godefer::{defer, with_defer};\n",
    "scopeguard": "",
    "plain": "",
    # The result form and recover, against how they are written without the
    # library: a closure plus `map_err`, and `catch_unwind`.
    "resultform": "use godefer::{defer, with_defer};\n",
    "resultform_hand": "",
    "recover": "use godefer::{defer, recover, with_defer};\n",
    "recover_hand": "",
}

DEPS = {
    "with_defer": 'godefer = {{ path = "{repo}" }}\n',
    "scopeguard": 'scopeguard = "1.2.0"\n',
    "plain": "",
    "resultform": 'godefer = {{ path = "{repo}" }}\n',
    "resultform_hand": 'scopeguard = "1.2.0"\n',
    "recover": 'godefer = {{ path = "{repo}" }}\n',
    "recover_hand": 'scopeguard = "1.2.0"\n',
}

# The pairs of the second table: each library shape and its hand-written twin.
PAIRS = [("resultform", "resultform_hand"), ("recover", "recover_hand")]

COMMON = '''use std::cell::Cell;

#[inline(never)]
pub fn release(c: &Cell<u64>, v: u64) {
    c.set(c.get().wrapping_add(v));
}

pub fn check(k: u32) -> Result<u32, String> {
    if k == 7 { Err(format!("bad {k}")) } else { Ok(k) }
}
'''


def function(kind, i):
    """One function: two cleanups, a `?` and an early return (3 exits)."""
    if kind in SHAPES:
        return SHAPES[kind](i)
    if kind == "with_defer":
        return f'''
#[with_defer]
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    defer!(release(c, {i}));
    let v = check(k)?;
    if v > {i % 97} {{
        return Ok(v);
    }}
    defer!(|| release(c, v as u64));
    Ok(v + {i})
}}
'''
    if kind == "scopeguard":
        return f'''
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    scopeguard::defer!(release(c, {i}));
    let v = check(k)?;
    if v > {i % 97} {{
        return Ok(v);
    }}
    scopeguard::defer!(release(c, v as u64));
    Ok(v + {i})
}}
'''
    return f'''
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    let v = check(k)?;
    if v > {i % 97} {{
        release(c, {i});
        return Ok(v);
    }}
    release(c, v as u64);
    release(c, {i});
    Ok(v + {i})
}}
'''


def resultform(i):
    """An error wrapped by a result-form closure, a cleanup, `?`, an early return."""
    return f'''
#[with_defer]
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    defer!(|ret| {{
        if let Some(Err(e)) = ret {{
            *e = format!("f{i}: {{e}}");
        }}
    }});
    defer!(release(c, {i}));
    let v = check(k)?;
    if v > {i % 97} {{
        return Ok(v);
    }}
    Ok(v + {i})
}}
'''


def resultform_hand(i):
    """The same with a scope guard, the body in a closure, and `map_err`."""
    return f'''
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    scopeguard::defer!(release(c, {i}));
    (|| -> Result<u32, String> {{
        let v = check(k)?;
        if v > {i % 97} {{
            return Ok(v);
        }}
        Ok(v + {i})
    }})()
    .map_err(|e| format!("f{i}: {{e}}"))
}}
'''


def recovering(i):
    """A panic turned into an error by `recover()`, a cleanup, `?`, an early return."""
    return f'''
#[with_defer]
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    defer!(|ret| {{
        if let Some(p) = recover() {{
            *ret = Some(Err(format!("f{i}: {{p}}")));
        }}
    }});
    defer!(release(c, {i}));
    let v = check(k)?;
    if v > {i % 97} {{
        return Ok(v);
    }}
    Ok(v + {i})
}}
'''


def recovering_hand(i):
    """The same with `catch_unwind` around a closure holding a scope guard."""
    return f'''
pub fn f{i}(c: &Cell<u64>, k: u32) -> Result<u32, String> {{
    let body = || {{
        scopeguard::defer!(release(c, {i}));
        let v = check(k)?;
        if v > {i % 97} {{
            return Ok(v);
        }}
        Ok(v + {i})
    }};
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(body)) {{
        Ok(result) => result,
        Err(p) => Err(format!("f{i}: {{}}", p.downcast_ref::<&str>().copied().unwrap_or("panic"))),
    }}
}}
'''


SHAPES = {
    "resultform": resultform,
    "resultform_hand": resultform_hand,
    "recover": recovering,
    "recover_hand": recovering_hand,
}


def write_crates(root):
    for kind in HEADER:
        d = os.path.join(root, kind)
        os.makedirs(os.path.join(d, "src"), exist_ok=True)
        with open(os.path.join(d, "Cargo.toml"), "w") as f:
            f.write(
                f'[package]\nname = "ct_{kind}"\nversion = "0.0.0"\nedition = "2021"\n'
                f"publish = false\n\n[dependencies]\n{DEPS[kind].format(repo=REPO)}\n"
                "[workspace]\n"
            )
        with open(os.path.join(d, "src", "lib.rs"), "w") as f:
            f.write(f"//! {FUNCTIONS} functions, {kind}.\n" + HEADER[kind] + COMMON)
            for i in range(FUNCTIONS):
                f.write(function(kind, i))
        # Same dependency versions as the project.
        lock = os.path.join(REPO, "Cargo.lock")
        if kind != "plain" and os.path.exists(lock) and not os.path.exists(os.path.join(d, "Cargo.lock")):
            shutil.copy(lock, os.path.join(d, "Cargo.lock"))


def timed(cmd, cwd, env):
    start = time.perf_counter()
    out = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.stderr.write(out.stdout[-4000:])
        raise SystemExit(f"failed: {' '.join(cmd)} in {cwd}")
    return elapsed, out.stdout


def touch(d):
    os.utime(os.path.join(d, "src", "lib.rs"))


def unstable_env(env):
    """RUSTC_BOOTSTRAP changes cargo's fingerprints: its own target dir, so
    that the check and build artifacts above stay fresh."""
    return dict(env, RUSTC_BOOTSTRAP="1", CARGO_TARGET_DIR=env["CARGO_TARGET_DIR"] + "-unstable")


def expanded_size(d, env):
    """Lines and bytes of the crate after macro expansion (-Z unpretty=expanded)."""
    touch(d)
    _, out = timed(["cargo", "rustc", "--profile", "check", "--lib", "-q", "--", "-Z", "unpretty=expanded"],
                   d, unstable_env(env))
    return {"lines": out.count("\n"), "bytes": len(out.encode())}


def expansion_seconds(d, env):
    """`macro_expand_crate` from rustc's -Z time-passes, crate only."""
    env = unstable_env(env)
    touch(d)
    _, out = timed(["cargo", "rustc", "--profile", "check", "--lib", "-q", "--", "-Z", "time-passes"], d, env)
    for line in out.splitlines():
        m = re.match(r"time:\s+([0-9.]+);.*\bmacro_expand_crate\b", line.strip())
        if m:
            return float(m.group(1))
    return None


def measure(runs=3, log=sys.stderr):
    target = os.environ.get("CARGO_TARGET_DIR") or os.path.join(REPO, "target")
    root = os.path.join(target, "compile-time")
    write_crates(root)
    env = dict(os.environ, CARGO_TARGET_DIR=os.path.join(root, "target"), CARGO_INCREMENTAL="0")
    env.pop("RUSTFLAGS", None)
    kinds = list(HEADER)
    dirs = {k: os.path.join(root, k) for k in kinds}
    res = {k: {"full_build": [], "check": [], "build": [], "expand": []} for k in kinds}
    lines = sum(1 for _ in open(os.path.join(dirs["with_defer"], "src", "lib.rs")))
    # Clean builds with dependencies, one at a time (each its own target dir
    # would share nothing; one shared dir cleaned before each).
    for k in kinds:
        timed(["cargo", "clean", "-q"], dirs[k], env)
        t, _ = timed(["cargo", "build", "-q"], dirs[k], env)
        res[k]["full_build"].append(t)
        print(f"  compile time: {k}: clean build with dependencies {t:.1f} s", file=log)
    for k in kinds:  # dependencies of the check profile too, and of the unstable runs
        timed(["cargo", "check", "-q"], dirs[k], env)
        expansion_seconds(dirs[k], env)
    for r in range(runs):
        order = kinds if r % 2 == 0 else list(reversed(kinds))
        for k in order:
            touch(dirs[k])
            t, _ = timed(["cargo", "check", "-q"], dirs[k], env)
            res[k]["check"].append(t)
            touch(dirs[k])
            t, _ = timed(["cargo", "build", "-q"], dirs[k], env)
            res[k]["build"].append(t)
            e = expansion_seconds(dirs[k], env)
            if e is not None:
                res[k]["expand"].append(e)
        print(f"  compile time: round {r + 1}/{runs} done", file=log)
    summary = {"functions": FUNCTIONS, "lines": lines, "runs": runs, "kinds": {}}
    for k in kinds:
        summary["kinds"][k] = {
            m: {"median": statistics.median(v), "all": v} if v else None for m, v in res[k].items()
        }
    summary["sample"] = {k: function(k, 1).strip() for k in kinds}
    summary["expanded"] = {k: expanded_size(dirs[k], env) for k in kinds}
    return summary


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--json")
    a = ap.parse_args()
    s = measure(a.runs)
    text = json.dumps(s, indent=2)
    if a.json:
        with open(a.json, "w") as f:
            f.write(text)
    print(text)


if __name__ == "__main__":
    main()
