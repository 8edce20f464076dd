//! The Go conformance corpus as the ports read it: the `.out` and `.meta`
//! files copied byte for byte into `tests/go/` (data: Go 1.19's output), and
//! a check that the copies still equal the originals when the corpus
//! (`../shared/go-conformance`) sits beside this checkout.
#![allow(dead_code)]

use std::path::Path;

/// The checkout's root: the facade's directory, or the nearest one above the
/// package that runs these tests (`compat/edition2021` runs them too).
fn checkout() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .find(|dir| dir.join("tests/go/001_lifo_basic.out").is_file())
        .expect("tests/go/ is in the checkout")
}

/// `go_file!("x.out")`  ->  `("x.out", <contents of tests/go/x.out>)`
macro_rules! go_file {
    ($name:literal) => {
        ($name, include_str!(concat!("../go/", $name)))
    };
}

/// Every file copied from the corpus into `tests/go/`, with its contents.
const COPIED: &[(&str, &str)] = &[
    go_file!("001_lifo_basic.out"),
    go_file!("002_loop_defers_accumulate.out"),
    go_file!("003_conditional_defers.out"),
    go_file!("004_nested_calls_own_defers.out"),
    go_file!("005_block_scope_vs_func_literal.out"),
    go_file!("006_args_evaluated_at_defer.out"),
    go_file!("008_func_value_evaluated_at_defer.out"),
    go_file!("009_method_receiver_capture.out"),
    go_file!("011_reference_args_aliasing.out"),
    go_file!("012_named_result_modified.out"),
    go_file!("014_unnamed_result_unaffected.out"),
    go_file!("016_builtins_and_discarded_results.out"),
    go_file!("017_recover_nil_not_panicking.out"),
    go_file!("018_recover_stops_panic_named_results.out"),
    go_file!("019_recover_unnamed_results_zero.out"),
    go_file!("020_recover_via_helper_ineffective.out"),
    go_file!("021_recover_nested_closure_ineffective.out"),
    go_file!("022_defer_recover_directly_noop.out"),
    go_file!("024_recover_in_deferred_method.out"),
    go_file!("025_runtime_div_by_zero.out"),
    go_file!("027_runtime_index_out_of_range.out"),
    go_file!("030_repanic_unrecovered_crash.meta"),
    go_file!("030_repanic_unrecovered_crash.out"),
    go_file!("031_panic_in_defer_replaces_inflight.out"),
    go_file!("032_panic_in_defer_crash_chain.meta"),
    go_file!("032_panic_in_defer_crash_chain.out"),
    go_file!("034_recover_in_defer_of_defer_closure.out"),
    go_file!("035_defer_recover_inside_deferred.out"),
    go_file!("037_unwind_frames_crash.meta"),
    go_file!("037_unwind_frames_crash.out"),
    go_file!("040_os_exit_skips_defers.meta"),
    go_file!("040_os_exit_skips_defers.out"),
];

/// This project's own Go cases (045-048): not in the corpus, their programs
/// sit beside their outputs in `tests/go/`.
const OWN: &[&str] = &[
    "045_recover_handler_idiom",
    "046_recover_helper_one_deeper",
    "047_recover_handler_repanics",
    "048_recover_handler_shared",
];

/// The contents of a copied corpus file.
pub fn go_data(name: &str) -> &'static str {
    COPIED
        .iter()
        .find(|(file, _)| *file == name)
        .unwrap_or_else(|| panic!("{name} is not among the copied corpus files"))
        .1
}

/// The lines Go printed for a case.
pub fn expected(out_file: &str) -> Vec<String> {
    go_data(out_file).lines().map(String::from).collect()
}

/// The trimmed value after `key` on its line of a `.meta` file.
pub fn meta_field<'a>(meta: &'a str, key: &str) -> &'a str {
    meta.lines()
        .find_map(|line| line.strip_prefix(key))
        .unwrap_or_else(|| panic!("no `{key}` line in the .meta"))
        .trim()
}

/// `running 1 test` / `running 2 tests`: the harness's line in a child's output.
pub fn is_harness_running_line(line: &str) -> bool {
    line.strip_prefix("running ")
        .and_then(|rest| {
            rest.strip_suffix(" test")
                .or_else(|| rest.strip_suffix(" tests"))
        })
        .is_some_and(|n| n.parse::<usize>().is_ok())
}

/// The copies under `tests/go/` are byte-identical to the corpus files, and
/// every other output there is one of this project's own cases, beside its
/// program.
pub fn check_copies() {
    let copies = checkout().join("tests/go");
    for entry in std::fs::read_dir(&copies).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if !(name.ends_with(".out") || name.ends_with(".meta")) {
            continue; // README.md and the script that runs the Go side
        }
        let own = name
            .strip_suffix(".out")
            .is_some_and(|case| OWN.contains(&case));
        assert!(
            own || COPIED.iter().any(|(file, _)| *file == name),
            "tests/go/{name} is not listed in tests/corpus/mod.rs"
        );
    }
    for case in OWN {
        for ext in ["go", "out"] {
            assert!(
                copies.join(format!("{case}.{ext}")).is_file(),
                "tests/go/{case}.{ext} is missing"
            );
        }
    }
    let corpus = checkout().join("../shared/go-conformance");
    if !corpus.is_dir() {
        println!(
            "note: {} is absent: the copies in tests/go/ were NOT compared with the originals",
            corpus.display()
        );
        return;
    }
    for (name, copy) in COPIED {
        let original = std::fs::read(corpus.join(name))
            .unwrap_or_else(|e| panic!("cannot read the original {name}: {e}"));
        assert!(
            copy.as_bytes() == original.as_slice(),
            "tests/go/{name} differs from the corpus file"
        );
    }
}
