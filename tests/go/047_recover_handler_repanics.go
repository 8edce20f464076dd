// Case 047: a handler that recovers and then panics again, with the value it
// recovered (`panic(r)`) or with a new one. The function's remaining defers
// run after the handler, and the new panic goes on to an outer frame, whose
// deferred closure recovers it. A second handler deferred earlier in the same
// function recovers the re-panic itself, and the function returns its zero
// value.
package main

import "fmt"

func repanicSame(name string) {
	if r := recover(); r != nil {
		fmt.Println("  "+name+": recovered", r, "- panicking again with it")
		panic(r)
	}
}

func repanicNew(name string) {
	if r := recover(); r != nil {
		fmt.Println("  "+name+": recovered", r, "- panicking with a new value")
		panic(fmt.Sprintf("%s: wrapped(%v)", name, r))
	}
}

func handlePanic(name string) {
	if r := recover(); r != nil {
		fmt.Println("  "+name+": recovered", r)
	} else {
		fmt.Println("  " + name + ": nothing to recover")
	}
}

func sameValue() int {
	defer fmt.Println("  sameValue: oldest defer runs after the handler")
	defer repanicSame("sameValue")
	defer fmt.Println("  sameValue: newest defer runs first")
	fmt.Println("  sameValue: panicking with disk full")
	panic("disk full")
}

func newValue() string {
	defer fmt.Println("  newValue: oldest defer runs after the handler")
	defer repanicNew("newValue")
	defer fmt.Println("  newValue: newest defer runs first")
	fmt.Println("  newValue: panicking with timeout")
	panic("timeout")
}

func twoHandlers() int {
	defer fmt.Println("  twoHandlers: oldest defer")
	defer handlePanic("twoHandlers' older handler")
	defer repanicSame("twoHandlers' newer handler")
	fmt.Println("  twoHandlers: panicking with first")
	panic("first")
}

func catch(name string, f func()) {
	defer func() {
		r := recover()
		fmt.Println("  catch("+name+") recovered:", r)
	}()
	defer fmt.Println("  catch(" + name + "): its newer defer runs first")
	f()
	fmt.Println("  catch: not reached")
}

func main() {
	catch("sameValue", func() { fmt.Println("  sameValue returned", sameValue()) })
	catch("newValue", func() { fmt.Printf("  newValue returned %q\n", newValue()) })
	fmt.Println("twoHandlers() ->", twoHandlers())
	fmt.Println("main: done")
}
