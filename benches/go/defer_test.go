package godeferbench

import (
	"fmt"
	"testing"
)

var (
	counter uint64
	sink    uint32
)

type shape func(*uint64, uint32) uint32

// nextExit cycles k through the three exits, as shapes::next_exit does.
func nextExit(k uint32) uint32 {
	if k >= 2 {
		return 0
	}
	return k + 1
}

func run(b *testing.B, f shape) {
	k := uint32(0)
	s := uint32(0)
	for i := 0; i < b.N; i++ {
		k = nextExit(k)
		s += f(&counter, k)
	}
	sink += s
}

// BenchmarkStraight: defers outside loops; ids straight/{one,several}/{n}/{defer,direct}.
func BenchmarkStraight(b *testing.B) {
	cases := []struct {
		exits          string
		n              int
		defer_, direct shape
	}{
		{"one", 1, deferOne1, directOne1},
		{"one", 2, deferOne2, directOne2},
		{"one", 4, deferOne4, directOne4},
		{"one", 8, deferOne8, directOne8},
		{"one", 16, deferOne16, directOne16},
		{"several", 1, deferSeveral1, directSeveral1},
		{"several", 4, deferSeveral4, directSeveral4},
		{"several", 8, deferSeveral8, directSeveral8},
	}
	for _, c := range cases {
		c := c
		b.Run(fmt.Sprintf("%s/%d/defer", c.exits, c.n), func(b *testing.B) { run(b, c.defer_) })
		b.Run(fmt.Sprintf("%s/%d/direct", c.exits, c.n), func(b *testing.B) { run(b, c.direct) })
	}
}

var loopNs = []uint32{1, 2, 4, 8, 16, 17, 32, 64, 1024}

// BenchmarkLoop: defers in a loop; ids loop/{n}/{defer,direct}.
func BenchmarkLoop(b *testing.B) {
	for _, n := range loopNs {
		n := n
		for _, v := range []struct {
			name string
			f    shape
		}{{"defer", loopDefer}, {"direct", loopDirect}} {
			f := v.f
			b.Run(fmt.Sprintf("%d/%s", n, v.name), func(b *testing.B) {
				s := uint32(0)
				for i := 0; i < b.N; i++ {
					s += f(&counter, n)
				}
				sink += s
			})
		}
	}
}

// BenchmarkPanic: panic + recover, and the paths without a panic.
func BenchmarkPanic(b *testing.B) {
	b.Run("recover", func(b *testing.B) {
		s := uint32(0)
		for i := 0; i < b.N; i++ {
			s += recoverDefer(0)
		}
		sink += s
	})
	for _, v := range []struct {
		name string
		f    shape
	}{{"recover/1/defer", recoverDefer1}, {"recover/50/defer", recoverDefer50}} {
		f := v.f
		b.Run(v.name, func(b *testing.B) {
			s := uint32(0)
			for i := 0; i < b.N; i++ {
				s += f(&counter, 0)
			}
			sink += s
		})
	}
	b.Run("through/defer", func(b *testing.B) {
		s := uint32(0)
		for i := 0; i < b.N; i++ {
			s += catch(throughDefer, &counter, 0)
		}
		sink += s
	})
	b.Run("through/direct", func(b *testing.B) {
		s := uint32(0)
		for i := 0; i < b.N; i++ {
			s += catch(throughDirect, &counter, 0)
		}
		sink += s
	})
	for _, v := range []struct {
		name string
		f    shape
	}{
		{"nopanic/recover", recoverDeferCounted},
		{"nopanic/resultform", noRecoverDeferCounted},
		{"nopanic/defer", throughDefer},
		{"nopanic/direct", throughDirect},
	} {
		f := v.f
		b.Run(v.name, func(b *testing.B) {
			s := uint32(0)
			for i := 0; i < b.N; i++ {
				s += f(&counter, 1)
			}
			sink += s
		})
	}
}
