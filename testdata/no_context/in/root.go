package root

// Main starts a root span.
//
//trace:span root
func Main() error { return nil }

//trace:span
func NoContext(n int) int { return n }
