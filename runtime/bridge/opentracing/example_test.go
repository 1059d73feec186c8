package opentracing_test

import (
	"context"
	"errors"
	"fmt"

	ot "github.com/opentracing/opentracing-go"
	otmock "github.com/opentracing/opentracing-go/mocktracer"

	tracegen "github.com/tracegen/tracegen/runtime"
	otbridge "github.com/tracegen/tracegen/runtime/bridge/opentracing"
	"github.com/tracegen/tracegen/runtime/mocktracer"
)

// A library instrumented with opentracing-go records into a tracegen tracer.
func ExampleWrap() {
	ours := mocktracer.New()
	ot.SetGlobalTracer(otbridge.Wrap(ours))
	defer ot.SetGlobalTracer(ot.NoopTracer{})

	// Library code, written against opentracing-go:
	parent := ot.StartSpan("http.request")
	child := ot.StartSpan("db.query", ot.ChildOf(parent.Context()))
	child.SetTag("db.type", "sql")
	child.Finish()
	parent.Finish()

	for _, s := range ours.FinishedSpans() {
		fmt.Printf("%s child of %v: %v\n", s.OperationName(), s.ParentID() != 0, s.Tags())
	}
	// Output:
	// db.query child of true: map[db.type:sql]
	// http.request child of false: map[]
}

func load(ctx context.Context) (err error) {
	defer tracegen.Start(&ctx, "store.load").End(&err)
	return errors.New("no such key")
}

// Code rewritten by tracegen records into an opentracing-go tracer, such as
// jaeger-client-go's; here opentracing-go's mocktracer.
func ExampleFromOpenTracing() {
	theirs := otmock.New()
	if err := tracegen.SetGlobalTracer(otbridge.FromOpenTracing(theirs)); err != nil {
		panic(err)
	}
	defer tracegen.ResetGlobalTracer()

	_ = load(context.Background())

	for _, s := range theirs.FinishedSpans() {
		fmt.Printf("%s error=%v logs=%d\n", s.OperationName, s.Tag("error"), len(s.Logs()))
	}
	// Output:
	// store.load error=true logs=1
}
