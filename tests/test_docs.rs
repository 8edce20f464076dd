//! The guide quotes real code: every code block of `docs/*.md` marked
//! `<!-- expanded -->` must appear, line for line, in `docs/lowering.expanded.rs`
//! (CI checks that file against `cargo expand`), and every block marked
//! `<!-- expanded-snapshot: PATH -->` or `<!-- example: PATH -->` in that file.

use std::fs;
use std::path::Path;

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// (source file, quoted block) for every marked block of a markdown page.
fn quoted_blocks(page: &str) -> Vec<(String, String)> {
    let mut blocks = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        let source = match line.trim() {
            "<!-- expanded -->" => "docs/lowering.expanded.rs".to_string(),
            marker => match marker
                .strip_prefix("<!-- expanded-snapshot: ")
                .or_else(|| marker.strip_prefix("<!-- example: "))
                .and_then(|rest| rest.strip_suffix(" -->"))
            {
                Some(path) => path.to_string(),
                None => continue,
            },
        };
        assert_eq!(
            lines.next().map(str::trim),
            Some("```rust"),
            "a marker precedes a rust block"
        );
        let block: Vec<&str> = lines.by_ref().take_while(|l| l.trim() != "```").collect();
        blocks.push((source, block.join("\n")));
    }
    blocks
}

fn check_page(page: &str, at_least: usize) {
    let text = fs::read_to_string(Path::new(ROOT).join(page)).unwrap();
    let blocks = quoted_blocks(&text);
    assert!(
        blocks.len() >= at_least,
        "{page} quotes {} blocks",
        blocks.len()
    );
    for (source, block) in blocks {
        let quoted = fs::read_to_string(Path::new(ROOT).join(&source)).unwrap();
        assert!(
            quoted.contains(&block),
            "{page} quotes lines that {source} does not contain:\n{block}"
        );
    }
}

#[test]
fn lowering_page_quotes_the_real_expansion() {
    check_page("docs/lowering.md", 6);
}

#[test]
fn go_patterns_page_quotes_the_examples() {
    check_page("docs/go-patterns.md", 3);
}
