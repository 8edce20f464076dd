// Case 046: only the deferred function itself can recover. A handler that
// leaves the recover to a plain helper gets nil from it, and the panic goes
// on: through the caller, whose own defer runs, to a deferred closure in the
// caller's caller, which recovers it. The handler called normally gets nil,
// and so does the handler called from inside a deferred closure: there it is
// one call below the deferred function, and the panic goes on to main.
package main

import "fmt"

func recoverHelper() interface{} {
	return recover()
}

func handleViaHelper(name string) {
	r := recoverHelper()
	fmt.Println("  "+name+": the helper's recover() =", r)
}

func handlePanic(name string) {
	r := recover()
	fmt.Println("  "+name+": recover() =", r)
}

func inner() {
	defer handleViaHelper("inner's handler")
	fmt.Println("  inner: panicking")
	panic("lost in the helper")
}

func middle() {
	defer fmt.Println("  middle: its defer runs as the panic passes")
	inner()
	fmt.Println("  middle: not reached")
}

func outer() {
	defer func() {
		r := recover()
		fmt.Println("  outer's deferred closure recovered:", r)
	}()
	middle()
	fmt.Println("  outer: not reached")
}

func viaClosure() {
	defer func() {
		handlePanic("handler called from a deferred closure")
		fmt.Println("  the deferred closure ends; the panic goes on")
	}()
	panic("past the closure's callee")
}

func main() {
	fmt.Println("a helper one call deeper:")
	outer()
	fmt.Println("the handler called directly:")
	handlePanic("handler called directly")
	fmt.Println("the handler called from a deferred closure:")
	func() {
		defer func() {
			r := recover()
			fmt.Println("  main's deferred closure recovered:", r)
		}()
		viaClosure()
		fmt.Println("  not reached")
	}()
	fmt.Println("main: done")
}
