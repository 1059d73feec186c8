package tracer_test

import (
	"fmt"
	"net/http"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// A service that receives W3C or B3 headers and sends both: extraction
// runs in the order listed, so the B3 ids win when both are present.
func ExampleParsePropagators() {
	p, err := tracer.ParsePropagators("tracecontext,baggage,b3")
	if err != nil {
		panic(err)
	}
	in := http.Header{}
	in.Set("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01")
	in.Set("tracestate", "congo=t61rcWkgMzE")
	in.Set("baggage", "userId=Am%C3%A9lie")
	sc, err := p.Extract(runtime.HTTPHeadersCarrier(in), tracer.SpanContext{})
	if err != nil {
		panic(err)
	}
	fmt.Println(sc.TraceID, sc.SpanID, sc.IsSampled(), sc.TraceState, sc.Baggage("userId"))

	out := http.Header{}
	p.Inject(sc, runtime.HTTPHeadersCarrier(out))
	fmt.Println(out.Get("traceparent"))
	fmt.Println(out.Get("b3"))
	fmt.Println(out.Get("baggage"))
	// Output:
	// 0af7651916cd43dd8448eb211c80319c b7ad6b7169203331 true congo=t61rcWkgMzE Amélie
	// 00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01
	// 0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-1
	// userId=Am%C3%A9lie
}
