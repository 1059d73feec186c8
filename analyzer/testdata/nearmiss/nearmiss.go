package nearmiss

import "context"

// trace:span // want `// trace:span is not a directive and is ignored; write //trace:span, a line comment without spaces`
func A(ctx context.Context) {}

//trace:spna // want `unknown directive //trace:spna`
func B(ctx context.Context) {}

/* want `nearmiss.C has no context.Context parameter; add root to start a root span` */ //trace:span
func C()                                                                                {}
