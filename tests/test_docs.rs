//! The guide quotes real expansions: every code block of `docs/lowering.md`
//! marked `<!-- expanded -->` must appear, line for line, in
//! `docs/lowering.expanded.rs` (CI checks that file against `cargo expand`), and
//! every block marked `<!-- expanded-snapshot: PATH -->` in that snapshot file.

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

#[test]
fn lowering_page_quotes_the_real_expansion() {
    let page = fs::read_to_string(Path::new(ROOT).join("docs/lowering.md")).unwrap();
    let blocks = quoted_blocks(&page);
    assert!(
        blocks.len() >= 6,
        "the page quotes the expansion ({} blocks)",
        blocks.len()
    );
    for (source, block) in blocks {
        let expanded = fs::read_to_string(Path::new(ROOT).join(&source)).unwrap();
        assert!(
            expanded.contains(&block),
            "docs/lowering.md quotes lines that {source} does not contain:\n{block}"
        );
    }
}
