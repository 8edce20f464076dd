// Case 048: one handler deferred by several functions. Each function's other
// deferred calls run in LIFO order around the handler, whether the function
// panics or not; the handler recovers only the panic of the function that
// deferred it. A function that defers it twice has the newer one recover,
// and when a callee's handler has recovered, the caller's finds nothing.
package main

import "fmt"

func handlePanic(name string) {
	if r := recover(); r != nil {
		fmt.Println("    handlePanic("+name+"): recovered", r)
	} else {
		fmt.Println("    handlePanic(" + name + "): nothing to recover")
	}
}

func fetch(id int) string {
	defer fmt.Println("    fetch: close the connection for", id)
	defer handlePanic("fetch")
	defer fmt.Println("    fetch: release the lock for", id)
	if id < 0 {
		panic(fmt.Sprintf("fetch: bad id %d", id))
	}
	return fmt.Sprintf("item-%d", id)
}

func save(item string) bool {
	defer handlePanic("save")
	defer fmt.Printf("    save: flush %q\n", item)
	if item == "" {
		panic("save: nothing to save")
	}
	return true
}

func cleanup(n int) int {
	defer fmt.Println("    cleanup: oldest defer")
	defer func() { fmt.Println("    cleanup: deferred closure before the handler") }()
	defer handlePanic("cleanup")
	if n > 1 {
		panic(fmt.Sprintf("cleanup: %d is too many", n))
	}
	return n
}

func twice() int {
	defer handlePanic("twice, deferred first")
	defer handlePanic("twice, deferred second")
	panic("twice: one panic")
}

func inner() int {
	defer handlePanic("inner")
	panic("inner: failed")
}

func outer() int {
	defer handlePanic("outer")
	defer fmt.Println("    outer: its newer defer")
	return inner() + 1
}

func main() {
	fmt.Println("fetch(1):")
	fmt.Printf("  -> %q\n", fetch(1))
	fmt.Println("fetch(-1):")
	fmt.Printf("  -> %q\n", fetch(-1))
	fmt.Println("save(\"a\"):")
	fmt.Println("  ->", save("a"))
	fmt.Println("save(\"\"):")
	fmt.Println("  ->", save(""))
	fmt.Println("cleanup(1):")
	fmt.Println("  ->", cleanup(1))
	fmt.Println("cleanup(3):")
	fmt.Println("  ->", cleanup(3))
	fmt.Println("twice():")
	fmt.Println("  ->", twice())
	fmt.Println("outer():")
	fmt.Println("  ->", outer())
	fmt.Println("main: done")
}
