package root

import tracegen "github.com/tracegen/tracegen/runtime" //tracegen:generated

// Main starts a root span.
//
//trace:span root
func Main() (tracegenErr error) {
	defer tracegen.Start(nil, "root.Main").End(&tracegenErr) //tracegen:generated oneline
	return nil
}

//trace:span
func NoContext(n int) int { return n }
