//! The guide quotes real code and real compiler output, so it cannot drift
//! from the macro:
//!
//! - every code block of `docs/*.md` marked `<!-- expanded -->` must appear,
//!   line for line, in `docs/lowering.expanded.rs` (CI checks that file against
//!   `cargo expand`), and every block marked `<!-- expanded-snapshot: PATH -->`
//!   or `<!-- example: PATH -->` in that file;
//! - every `text` block marked `<!-- stderr: CASE -->` quotes lines of
//!   `ui-tests/CASE.stderr`: each of its lines must occur in a line of that file;
//! - `docs/capture-rules.md` names every case of `ui-tests/` and
//!   `ui-tests/pass/`, quotes the `.stderr` of every compile-fail case, and
//!   each test it names as a case's twin is defined in the file it names (or
//!   in `tests/test_teaching_twins.rs`);
//! - relative links in `docs/*.md`, `README.md` and `CONTRIBUTING.md` lead to
//!   files that exist (and to headings that exist, for links into markdown),
//!   the guide's first page links every other page, and the `docs/` pages the
//!   crate documentation names exist;
//! - the file paths that `README.md` and `CONTRIBUTING.md` name in code spans
//!   exist;
//! - Go's open-coding rule is stated in one place, `docs/lowering.md`, and
//!   every other page links to it instead of restating it.

use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

fn read(path: impl AsRef<Path>) -> String {
    let path = Path::new(ROOT).join(path);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The names (without extension) of the files of `dir` that end in `.ext`, sorted.
fn stems(dir: &str, ext: &str) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(Path::new(ROOT).join(dir))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == ext))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The guide's pages, `docs/*.md`.
fn pages() -> Vec<String> {
    stems("docs", "md")
        .into_iter()
        .map(|stem| format!("docs/{stem}.md"))
        .collect()
}

/// The repository's own pages beside the guide.
const TOP_PAGES: [&str; 2] = ["README.md", "CONTRIBUTING.md"];

/// Every markdown page this test reads: the top pages and the guide.
fn all_pages() -> Vec<String> {
    let mut all: Vec<String> = TOP_PAGES.iter().map(|p| p.to_string()).collect();
    all.extend(pages());
    all
}

/// A code block that a marker comment right before it ties to a source.
struct Marked {
    /// What the marker names: a file for quoted code, a case for stderr.
    source: String,
    /// `rust` or `text`.
    lang: String,
    block: String,
}

/// Every marked block of a markdown page.
fn marked_blocks(page: &str) -> Vec<Marked> {
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let marker = line.trim();
        let (source, lang) = if marker == "<!-- expanded -->" {
            ("docs/lowering.expanded.rs", "rust")
        } else if let Some(rest) = marker.strip_suffix(" -->") {
            if let Some(path) = rest
                .strip_prefix("<!-- expanded-snapshot: ")
                .or_else(|| rest.strip_prefix("<!-- example: "))
            {
                (path, "rust")
            } else if let Some(case) = rest.strip_prefix("<!-- stderr: ") {
                (case, "text")
            } else {
                continue;
            }
        } else {
            continue;
        };
        let fence = format!("```{lang}");
        assert_eq!(
            lines.next().map(str::trim),
            Some(fence.as_str()),
            "the marker `{marker}` precedes a {lang} block"
        );
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        blocks.push(Marked {
            source: source.to_string(),
            lang: lang.to_string(),
            block: block.join("\n"),
        });
    }
    blocks
}

/// The quoted-code blocks of `page` appear in their sources; returns how many.
fn check_quoted_code(page: &str) -> usize {
    let text = read(page);
    let blocks: Vec<Marked> = marked_blocks(&text)
        .into_iter()
        .filter(|m| m.lang == "rust")
        .collect();
    for Marked { source, block, .. } in &blocks {
        let quoted = read(source);
        assert!(
            quoted.contains(block.as_str()),
            "{page} quotes lines that {source} does not contain:\n{block}"
        );
    }
    blocks.len()
}

/// The stderr blocks of `page` quote their cases' `.stderr`; returns the cases quoted.
fn check_quoted_stderr(page: &str) -> Vec<String> {
    let text = read(page);
    let mut cases = Vec::new();
    for Marked { source, block, .. } in marked_blocks(&text)
        .into_iter()
        .filter(|m| m.lang == "text")
    {
        let stderr = read(format!("ui-tests/{source}.stderr"));
        let quoted: Vec<&str> = block
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        assert!(
            !quoted.is_empty(),
            "{page}: empty stderr quote for {source}"
        );
        for line in quoted {
            assert!(
                stderr.lines().any(|l| l.contains(line)),
                "{page} quotes a line that ui-tests/{source}.stderr does not contain:\n{line}"
            );
        }
        cases.push(source);
    }
    cases
}

#[test]
fn lowering_page_quotes_the_real_expansion() {
    let quoted = check_quoted_code("docs/lowering.md");
    assert!(quoted >= 6, "docs/lowering.md quotes {quoted} blocks");
}

#[test]
fn go_patterns_page_quotes_the_examples() {
    let quoted = check_quoted_code("docs/go-patterns.md");
    assert!(quoted >= 3, "docs/go-patterns.md quotes {quoted} blocks");
}

#[test]
fn every_page_quotes_real_code_and_real_compiler_output() {
    for page in all_pages() {
        check_quoted_code(&page);
        check_quoted_stderr(&page);
    }
}

#[test]
fn capture_rules_page_covers_every_ui_case() {
    let page = "docs/capture-rules.md";
    let text = read(page);
    let failing = stems("ui-tests", "rs");
    assert!(!failing.is_empty());
    let passing = stems("ui-tests/pass", "rs");
    for case in failing.iter().chain(&passing) {
        assert!(
            text.contains(case.as_str()),
            "{page} does not name `{case}`"
        );
    }
    let quoted = check_quoted_stderr(page);
    for case in &failing {
        assert!(
            quoted.contains(case),
            "{page} quotes no line of ui-tests/{case}.stderr (mark a text block `<!-- stderr: {case} -->`)"
        );
    }
}

#[test]
fn warnings_page_quotes_the_warnings_and_the_explain_notes() {
    let quoted = check_quoted_stderr("docs/warnings-and-explain.md");
    for case in [
        "must-use-deferred-result",
        "defer-in-loop-warning",
        "explain-lowering",
    ] {
        assert!(
            quoted.iter().any(|q| q == case),
            "docs/warnings-and-explain.md does not quote ui-tests/{case}.stderr"
        );
    }
}

/// GitHub's anchor for a heading: lower case, spaces to `-`, punctuation other
/// than `-` and `_` dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// The anchors of a page's headings (outside code blocks).
fn anchors(page: &str) -> Vec<String> {
    let mut in_code = false;
    let mut out = Vec::new();
    for line in page.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        } else if !in_code && line.starts_with('#') {
            out.push(anchor(line.trim_start_matches('#')));
        }
    }
    out
}

/// The targets of the inline links `[text](target)` of a markdown page.
fn link_targets(page: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = page;
    while let Some(at) = rest.find("](") {
        rest = &rest[at + 2..];
        if let Some(end) = rest.find(')') {
            out.push(rest[..end].to_string());
        }
    }
    out
}

#[test]
fn links_lead_somewhere() {
    for page in all_pages() {
        let text = read(&page);
        let dir = Path::new(&page).parent().unwrap();
        for target in link_targets(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = match target.split_once('#') {
                Some((file, fragment)) => (file, Some(fragment)),
                None => (target.as_str(), None),
            };
            let path: PathBuf = if file.is_empty() {
                PathBuf::from(&page)
            } else {
                dir.join(file)
            };
            assert!(
                Path::new(ROOT).join(&path).exists(),
                "{page} links to `{target}`, which does not exist"
            );
            if let (Some(fragment), true) = (fragment, file.is_empty() || file.ends_with(".md")) {
                let linked = read(&path);
                assert!(
                    anchors(&linked).iter().any(|a| a == fragment),
                    "{page} links to `{target}`, but {} has no such heading",
                    path.display()
                );
            }
        }
    }
}

#[test]
fn the_first_page_leads_to_every_other_page() {
    let readme = read("docs/README.md");
    let targets = link_targets(&readme);
    for page in pages() {
        let name = Path::new(&page)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        if name != "README.md" {
            assert!(
                targets
                    .iter()
                    .any(|t| t.split('#').next() == Some(name.as_str())),
                "docs/README.md does not link to {name}"
            );
        }
    }
}

#[test]
fn the_crate_documentation_names_pages_that_exist() {
    let lib = read("src/lib.rs");
    let mut named = 0;
    let mut rest = lib.as_str();
    while let Some(at) = rest.find("docs/") {
        let path: String = rest[at..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || matches!(c, '/' | '.' | '-' | '_'))
            .collect();
        let path = path.trim_end_matches('.');
        if path.ends_with(".md") {
            assert!(
                Path::new(ROOT).join(path).exists(),
                "src/lib.rs names {path}, which does not exist"
            );
            named += 1;
        }
        rest = &rest[at + 5..];
    }
    assert!(named >= 5, "src/lib.rs names {named} pages of the guide");
}

/// The backticked spans of a piece of markdown.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

#[test]
fn twins_named_in_capture_rules_exist() {
    let page = read("docs/capture-rules.md");
    let mut checked = 0;
    for paragraph in page
        .split("\n\n")
        .filter_map(|p| p.find("Twin: ").map(|at| &p[at..]))
    {
        let spans = code_spans(paragraph);
        let mut files = vec!["tests/test_teaching_twins.rs".to_string()];
        files.extend(
            spans
                .iter()
                .filter(|s| s.ends_with(".rs") && s.contains('/'))
                .map(|s| s.to_string()),
        );
        let sources: Vec<String> = files.iter().map(read).collect();
        let names = spans.iter().filter(|s| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        });
        for name in names {
            let defined = sources.iter().any(|source| {
                source.contains(&format!("fn {name}(")) || source.contains(&format!("mod {name} "))
            });
            assert!(
                defined,
                "docs/capture-rules.md names `{name}` as a twin, but none of {files:?} defines it"
            );
            checked += 1;
        }
    }
    assert!(checked >= 38, "only {checked} twins named");
}

/// The backticked spans of `text` that name a file of the repository: a
/// relative path with a directory and an extension, and no placeholder
/// (`NAME`, `CASE`) or pattern.
fn named_paths(text: &str) -> Vec<&str> {
    code_spans(text)
        .into_iter()
        .filter(|s| {
            s.contains('/')
                && !s.starts_with('/')
                && s.rsplit('/').next().is_some_and(|name| name.contains('.'))
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "._-/".contains(c))
                && !["NAME", "CASE"].iter().any(|p| s.contains(p))
        })
        .collect()
}

#[test]
fn top_pages_name_files_that_exist() {
    let mut named = 0;
    for page in TOP_PAGES {
        for path in named_paths(&read(page)) {
            assert!(
                Path::new(ROOT).join(path).exists(),
                "{page} names `{path}`, which does not exist"
            );
            named += 1;
        }
    }
    assert!(
        named >= 10,
        "README.md and CONTRIBUTING.md name only {named} files"
    );
}

/// The crate documentation: the `//!` and `///` lines of `src/lib.rs`.
fn crate_docs() -> String {
    read("src/lib.rs")
        .lines()
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("//!") || l.starts_with("///")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_open_coding_rule_is_stated_once() {
    // The rule's two limits, as a page would state them.
    let limits = ["at most 8", "at most 15", "<= 8 defers", "8 defers and"];
    let home = "docs/lowering.md";
    let mut texts: Vec<(String, String)> = all_pages()
        .into_iter()
        .map(|page| {
            let text = read(&page);
            (page, text)
        })
        .collect();
    texts.push(("src/lib.rs".to_string(), crate_docs()));
    for (page, text) in &texts {
        let lower = text.to_lowercase();
        let stated: Vec<&str> = limits
            .iter()
            .copied()
            .filter(|l| lower.contains(l))
            .collect();
        if page == home {
            assert!(
                lower.contains("at most 8") && lower.contains("at most 15"),
                "{home} no longer states Go's open-coding rule"
            );
        } else {
            assert!(
                stated.is_empty(),
                "{page} restates Go's open-coding rule ({stated:?}); link to {home}#when-a-function-is-open-coded instead"
            );
        }
    }
    let anchor = "lowering.md#when-a-function-is-open-coded";
    for page in ["docs/README.md", "docs/warnings-and-explain.md"] {
        assert!(
            read(page).contains(anchor),
            "{page} does not link to the rule ({anchor})"
        );
    }
    assert!(
        crate_docs().contains("docs/lowering.md"),
        "the crate documentation does not name docs/lowering.md for the rule"
    );
}

/// The behaviour tests that `compat/edition2021` leaves out, and why (its
/// manifest says the same).
const NOT_ON_EDITION_2021: &[&str] = &[
    "ui",               // the `.stderr` snapshots belong to one compiler
    "test_docs",        // this file: checks of the repository, not of behaviour
    "test_examples",    // the examples are the facade's own targets
    "test_panic_abort", // builds its own edition-2021 crate
];

#[test]
fn every_behaviour_test_also_runs_on_edition_2021() {
    let manifest = read("compat/edition2021/Cargo.toml");
    for test in stems("tests", "rs") {
        let listed = manifest.contains(&format!("path = \"../../tests/{test}.rs\""));
        let left_out = NOT_ON_EDITION_2021.contains(&test.as_str());
        assert!(
            listed != left_out,
            "tests/{test}.rs: list it as a [[test]] in compat/edition2021/Cargo.toml \
             (or, if it cannot run there, in NOT_ON_EDITION_2021 with the reason)"
        );
    }
}
