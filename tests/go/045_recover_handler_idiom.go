// Case 045: the handler idiom. A function defers a call to a named function
// whose body calls recover(): `defer handlePanic("work")`. The handler is the
// deferred function itself, so its recover is called directly by it and stops
// the panic. A method works the same way (`defer j.onPanic()`), and so does a
// generic handler deferred by a generic function. After the recovery the
// function returns its zero values, except for a named result that a deferred
// closure set.
package main

import "fmt"

func handlePanic(name string) {
	if r := recover(); r != nil {
		fmt.Println("  "+name+": recovered", r)
	} else {
		fmt.Println("  " + name + ": nothing to recover")
	}
}

func work(n int) int {
	defer handlePanic("work")
	fmt.Println("  work: start", n)
	if n == 0 {
		panic("work with n == 0")
	}
	return 100 / n
}

func parse(s string) (int, string, bool) {
	defer handlePanic("parse")
	if s == "" {
		panic("parse of an empty string")
	}
	return len(s), s, true
}

type Job struct{ name string }

func (j *Job) onPanic() {
	if r := recover(); r != nil {
		fmt.Println("  job "+j.name+": onPanic recovered", r)
	}
}

func (j *Job) run(fail bool) (string, error) {
	defer j.onPanic()
	if fail {
		panic("job " + j.name + " failed")
	}
	return "done", nil
}

func handleTagged[T any](tag T) {
	if r := recover(); r != nil {
		fmt.Println("  handleTagged:", tag, "recovered", r)
	}
}

func first[T any](xs []T) T {
	defer handleTagged(len(xs))
	if len(xs) == 0 {
		panic("first of an empty slice")
	}
	return xs[0]
}

func withNamed(fail bool) (msg string) {
	defer func() {
		if msg == "" {
			msg = "set by a deferred closure"
		}
	}()
	defer handlePanic("withNamed")
	if fail {
		panic("withNamed failed")
	}
	return "returned"
}

func main() {
	fmt.Println("work(4) ->", work(4))
	fmt.Println("work(0) ->", work(0))
	n, s, ok := parse("")
	fmt.Printf("parse(\"\") -> %d %q %t\n", n, s, ok)
	n, s, ok = parse("abc")
	fmt.Printf("parse(\"abc\") -> %d %q %t\n", n, s, ok)
	j := &Job{name: "backup"}
	res, err := j.run(true)
	fmt.Printf("run(true) -> %q %v\n", res, err)
	res, err = j.run(false)
	fmt.Printf("run(false) -> %q %v\n", res, err)
	fmt.Println("first([]int{}) ->", first([]int{}))
	fmt.Printf("first([]string{}) -> %q\n", first([]string{}))
	fmt.Println("first([]int{7, 8}) ->", first([]int{7, 8}))
	fmt.Println("withNamed(true) ->", withNamed(true))
	fmt.Println("withNamed(false) ->", withNamed(false))
	fmt.Println("main: done")
}
