//! Many defers: more than 8 sites, and returns x defers > 15 (which Go's rule
//! sends to the chain lowering). The behaviour is the same under every
//! lowering.

#[macro_use]
mod support;

use godefer::{defer, with_defer};
use support::{say, trace};

fn numbered(range: impl Iterator<Item = u32>) -> Vec<String> {
    range.map(|i| format!("d{i}")).collect()
}

macro_rules! suite {
    ($($s:ident)?) => {
        use super::*;

        #[with_defer($($s)?)]
        fn twelve_defers() -> u32 {
            defer!(say("d1"));
            defer!(say("d2"));
            defer!(say("d3"));
            defer!(say("d4"));
            defer!(say("d5"));
            defer!(say("d6"));
            defer!(say("d7"));
            defer!(say("d8"));
            defer!(say("d9"));
            defer!(say("d10"));
            defer!(say("d11"));
            defer!(say("d12"));
            12
        }

        #[test]
        fn more_than_eight_defers_with_one_exit() {
            assert_eq!(
                trace(|| assert_eq!(twelve_defers(), 12)),
                numbered((1..=12).rev())
            );
        }

        #[with_defer($($s)?)]
        fn nine_defers_two_exits(stop_after: u32) -> u32 {
            defer!(say("d1"));
            defer!(say("d2"));
            defer!(say("d3"));
            defer!(say("d4"));
            defer!(say("d5"));
            if stop_after == 5 {
                return 5;
            }
            defer!(say("d6"));
            defer!(say("d7"));
            defer!(say("d8"));
            defer!(say("d9"));
            9
        }

        #[test]
        fn more_than_eight_defers_with_two_exits() {
            assert_eq!(
                trace(|| assert_eq!(nine_defers_two_exits(5), 5)),
                numbered((1..=5).rev())
            );
            assert_eq!(
                trace(|| assert_eq!(nine_defers_two_exits(0), 9)),
                numbered((1..=9).rev())
            );
        }

        /// 4 defers x 5 exits (4 returns or `?` and the tail) = 20 > 15.
        #[with_defer($($s)?)]
        fn many_exits(path: u32) -> Result<u32, String> {
            defer!(say("d1"));
            if path == 0 {
                return Ok(0);
            }
            defer!(say("d2"));
            if path == 1 {
                return Err("one".into());
            }
            defer!(say("d3"));
            let parsed: u32 = if path == 2 { "x" } else { "2" }
                .parse()
                .map_err(|_| String::from("parse"))?;
            defer!(say("d4"));
            if path == 3 {
                return Ok(parsed + 1);
            }
            Ok(parsed + path)
        }

        #[test]
        fn returns_times_defers_above_fifteen() {
            assert_eq!(trace(|| assert_eq!(many_exits(0), Ok(0))), numbered((1..=1).rev()));
            assert_eq!(trace(|| assert_eq!(many_exits(1), Err("one".into()))), numbered((1..=2).rev()));
            assert_eq!(trace(|| assert_eq!(many_exits(2), Err("parse".into()))), numbered((1..=3).rev()));
            assert_eq!(trace(|| assert_eq!(many_exits(3), Ok(3))), numbered((1..=4).rev()));
            assert_eq!(trace(|| assert_eq!(many_exits(4), Ok(6))), numbered((1..=4).rev()));
        }

        #[with_defer($($s)?)]
        fn branchy(mask: u16) -> u16 {
            let mut taken = 0;
            if mask & 1 != 0 { defer!(say("b0")); taken += 1; }
            if mask & 2 != 0 { defer!(say("b1")); taken += 1; }
            if mask & 4 != 0 { defer!(say("b2")); taken += 1; }
            if mask & 8 != 0 { defer!(say("b3")); taken += 1; }
            if mask & 16 != 0 { defer!(say("b4")); taken += 1; }
            if mask & 32 != 0 { defer!(say("b5")); taken += 1; }
            if mask & 64 != 0 { defer!(say("b6")); taken += 1; }
            if mask & 128 != 0 { defer!(say("b7")); taken += 1; }
            if mask & 256 != 0 { defer!(say("b8")); taken += 1; }
            if mask & 512 != 0 { defer!(say("b9")); taken += 1; }
            if taken > 5 {
                return taken * 100;
            }
            taken
        }

        #[test]
        fn ten_conditional_defers_any_subset() {
            for mask in [0u16, 1, 0b10_0000_0001, 0b11_1111_1111, 0b01_0101_0110, 0b11_1100_0011] {
                let expected: Vec<String> =
                    (0..10).rev().filter(|b| mask & (1 << b) != 0).map(|b| format!("b{b}")).collect();
                let count = mask.count_ones() as u16;
                let value = if count > 5 { count * 100 } else { count };
                assert_eq!(trace(|| assert_eq!(branchy(mask), value)), expected, "mask {mask:#b}");
            }
        }
    };
}

for_each_lowering!(suite);
