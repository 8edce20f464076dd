// Package godeferbench holds the Go twins of the Rust benchmarks in benches/:
// the same shapes with the same deferred call, for Go's defer and for the
// calls written directly. Standard library only.
//
// Go chooses the lowering of each function: open-coded when it has no defer
// in a loop, at most 8 defers and returns x defers <= 15; otherwise
// stack-allocated records (deferprocStack); a defer in a loop is a
// heap-allocated record (deferproc). benches/run.py also builds this package
// with -gcflags=-d=noopendefer, which turns every open-coded defer into a
// stack record, and records what -gcflags=-d=defer reports for each defer.
package godeferbench

// release is the deferred call, never inlined, as in Rust.
//
//go:noinline
func release(c *uint64, v uint64) {
	*c += v
}

//go:noinline
func deferOne1(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	return k + 1
}

//go:noinline
func directOne1(c *uint64, k uint32) uint32 {
	ret := k + 1
	release(c, 1)
	return ret
}

//go:noinline
func deferOne2(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	defer release(c, 2)
	return k + 1
}

//go:noinline
func directOne2(c *uint64, k uint32) uint32 {
	ret := k + 1
	release(c, 2)
	release(c, 1)
	return ret
}

//go:noinline
func deferOne4(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	defer release(c, 2)
	defer release(c, 3)
	defer release(c, 4)
	return k + 1
}

//go:noinline
func directOne4(c *uint64, k uint32) uint32 {
	ret := k + 1
	release(c, 4)
	release(c, 3)
	release(c, 2)
	release(c, 1)
	return ret
}

//go:noinline
func deferOne8(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	defer release(c, 2)
	defer release(c, 3)
	defer release(c, 4)
	defer release(c, 5)
	defer release(c, 6)
	defer release(c, 7)
	defer release(c, 8)
	return k + 1
}

//go:noinline
func directOne8(c *uint64, k uint32) uint32 {
	ret := k + 1
	release(c, 8)
	release(c, 7)
	release(c, 6)
	release(c, 5)
	release(c, 4)
	release(c, 3)
	release(c, 2)
	release(c, 1)
	return ret
}

//go:noinline
func deferOne16(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	defer release(c, 2)
	defer release(c, 3)
	defer release(c, 4)
	defer release(c, 5)
	defer release(c, 6)
	defer release(c, 7)
	defer release(c, 8)
	defer release(c, 9)
	defer release(c, 10)
	defer release(c, 11)
	defer release(c, 12)
	defer release(c, 13)
	defer release(c, 14)
	defer release(c, 15)
	defer release(c, 16)
	return k + 1
}

//go:noinline
func directOne16(c *uint64, k uint32) uint32 {
	ret := k + 1
	release(c, 16)
	release(c, 15)
	release(c, 14)
	release(c, 13)
	release(c, 12)
	release(c, 11)
	release(c, 10)
	release(c, 9)
	release(c, 8)
	release(c, 7)
	release(c, 6)
	release(c, 5)
	release(c, 4)
	release(c, 3)
	release(c, 2)
	release(c, 1)
	return ret
}

//go:noinline
func deferSeveral1(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	if k == 0 {
		return 10
	}
	if k == 1 {
		return 11
	}
	return 12
}

//go:noinline
func directSeveral1(c *uint64, k uint32) uint32 {
	if k == 0 {
		release(c, 1)
		return 10
	}
	if k == 1 {
		release(c, 1)
		return 11
	}
	release(c, 1)
	return 12
}

//go:noinline
func deferSeveral4(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	defer release(c, 2)
	defer release(c, 3)
	defer release(c, 4)
	if k == 0 {
		return 10
	}
	if k == 1 {
		return 11
	}
	return 12
}

//go:noinline
func directSeveral4(c *uint64, k uint32) uint32 {
	if k == 0 {
		release(c, 4)
		release(c, 3)
		release(c, 2)
		release(c, 1)
		return 10
	}
	if k == 1 {
		release(c, 4)
		release(c, 3)
		release(c, 2)
		release(c, 1)
		return 11
	}
	release(c, 4)
	release(c, 3)
	release(c, 2)
	release(c, 1)
	return 12
}

//go:noinline
func deferSeveral8(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	defer release(c, 2)
	defer release(c, 3)
	defer release(c, 4)
	defer release(c, 5)
	defer release(c, 6)
	defer release(c, 7)
	defer release(c, 8)
	if k == 0 {
		return 10
	}
	if k == 1 {
		return 11
	}
	return 12
}

//go:noinline
func directSeveral8(c *uint64, k uint32) uint32 {
	if k == 0 {
		release(c, 8)
		release(c, 7)
		release(c, 6)
		release(c, 5)
		release(c, 4)
		release(c, 3)
		release(c, 2)
		release(c, 1)
		return 10
	}
	if k == 1 {
		release(c, 8)
		release(c, 7)
		release(c, 6)
		release(c, 5)
		release(c, 4)
		release(c, 3)
		release(c, 2)
		release(c, 1)
		return 11
	}
	release(c, 8)
	release(c, 7)
	release(c, 6)
	release(c, 5)
	release(c, 4)
	release(c, 3)
	release(c, 2)
	release(c, 1)
	return 12
}

// loopDefer defers one call per iteration: heap-allocated records.
//
//go:noinline
func loopDefer(c *uint64, n uint32) uint32 {
	for i := uint32(0); i < n; i++ {
		defer release(c, uint64(i))
	}
	return n
}

// loopDirect makes the same calls, newest first, with nothing stored.
//
//go:noinline
func loopDirect(c *uint64, n uint32) uint32 {
	for i := n; i > 0; i-- {
		release(c, uint64(i-1))
	}
	return n
}

//go:noinline
func mayPanic(k uint32) uint32 {
	if k == 0 {
		panic("boom")
	}
	return k
}

// recoverDefer is Go's panic + recover.
//
//go:noinline
func recoverDefer(k uint32) (r uint32) {
	defer func() {
		if recover() != nil {
			r = 0
		}
	}()
	return mayPanic(k)
}

// recoverDeferCounted is a recovering function on its path without a panic.
//
//go:noinline
func recoverDeferCounted(c *uint64, k uint32) (r uint32) {
	defer func() {
		release(c, 1)
		if recover() != nil {
			r = 0
		}
	}()
	return mayPanic(k)
}

// noRecoverDeferCounted is a named result read by a deferred closure that
// does not recover, the twin of Rust's result form (no_recover_defer_counted).
// Go has no "no value yet": the nearest is the zero that no return statement
// replaced, so the closure tests r for zero and writes it only then. The
// benchmark calls it with k = 1 (mayPanic returns 1): the closure reads r and
// leaves it, as the Rust closure reads Some(1) and leaves it.
//
//go:noinline
func noRecoverDeferCounted(c *uint64, k uint32) (r uint32) {
	defer func() {
		release(c, 1)
		if r == 0 {
			r = 1
		}
	}()
	return mayPanic(k)
}

// recoverDefer1 is recoverDefer with the counter (unused) of recoverDefer50:
// a recovered panic in a function with one defer.
//
//go:noinline
func recoverDefer1(c *uint64, k uint32) (r uint32) {
	defer func() {
		if recover() != nil {
			r = 0
		}
	}()
	return mayPanic(k)
}

// recoverDefer50 is a recovered panic in a function with 50 defers: the
// recovering closure, then 49 calls that run while the panic unwinds. More
// than 8 defers: Go gives every one a stack record (deferprocStack).
//
//go:noinline
func recoverDefer50(c *uint64, k uint32) (r uint32) {
	defer func() {
		if recover() != nil {
			r = 0
		}
	}()
	defer release(c, 1)
	defer release(c, 2)
	defer release(c, 3)
	defer release(c, 4)
	defer release(c, 5)
	defer release(c, 6)
	defer release(c, 7)
	defer release(c, 8)
	defer release(c, 9)
	defer release(c, 10)
	defer release(c, 11)
	defer release(c, 12)
	defer release(c, 13)
	defer release(c, 14)
	defer release(c, 15)
	defer release(c, 16)
	defer release(c, 17)
	defer release(c, 18)
	defer release(c, 19)
	defer release(c, 20)
	defer release(c, 21)
	defer release(c, 22)
	defer release(c, 23)
	defer release(c, 24)
	defer release(c, 25)
	defer release(c, 26)
	defer release(c, 27)
	defer release(c, 28)
	defer release(c, 29)
	defer release(c, 30)
	defer release(c, 31)
	defer release(c, 32)
	defer release(c, 33)
	defer release(c, 34)
	defer release(c, 35)
	defer release(c, 36)
	defer release(c, 37)
	defer release(c, 38)
	defer release(c, 39)
	defer release(c, 40)
	defer release(c, 41)
	defer release(c, 42)
	defer release(c, 43)
	defer release(c, 44)
	defer release(c, 45)
	defer release(c, 46)
	defer release(c, 47)
	defer release(c, 48)
	defer release(c, 49)
	return mayPanic(k)
}

//go:noinline
func throughDefer(c *uint64, k uint32) uint32 {
	defer release(c, 1)
	return mayPanic(k)
}

//go:noinline
func throughDirect(c *uint64, k uint32) uint32 {
	ret := mayPanic(k)
	release(c, 1)
	return ret
}

// catch is the caller that stops a panic passing through f.
//
//go:noinline
func catch(f func(*uint64, uint32) uint32, c *uint64, k uint32) (r uint32) {
	defer func() {
		if recover() != nil {
			r = 0
		}
	}()
	return f(c, k)
}
