package root

// Main starts a root span.
//
//trace:span root
func Main() error { return nil }
