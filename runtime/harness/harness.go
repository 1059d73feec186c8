// Package harness checks that a Tracer implements the tracegen API
// correctly. Any tracer runs it from its own tests:
//
//	func TestAPI(t *testing.T) {
//		harness.Run(t, func() (tracegen.Tracer, func()) {
//			tr := mytracer.New()
//			return tr, func() { tr.Close() }
//		}, harness.UseProbe(myProbe{}))
//	}
//
// Run makes one subtest per check, each with a fresh tracer: starting spans
// with parents, follows-from and nil references; operation names; tag value
// types and chaining; logs (key/value, typed, odd arguments, explicit
// timestamps, after Finish); Finish idempotence and calls after Finish;
// explicit start and finish times; baggage, several baggage items and their
// inheritance; TextMap, HTTPHeaders and Binary propagation; the mandatory
// formats; an unknown format; invalid Inject span contexts and carriers;
// invalid, empty and corrupted Extract carriers; starting from a
// context.Context; the Start/End and StartRequest helpers of generated code;
// and concurrent use (run with -race).
//
// Checks a tracer cannot pass by design are switched off with options: a
// tracer that drops baggage uses CheckBaggageValues(false), one whose Inject
// and Extract do nothing uses CheckInject(false) and CheckExtract(false).
// Without a Probe, the checks that need to know which spans belong together
// (same trace, parent and child, same span context) only exercise the API;
// a Probe makes them assert. A Probe that also implements TagProbe, TimeProbe
// or LogProbe lets the tag, time and log checks assert exact values: typed
// tags, explicit start and finish times, one Finish only, log timestamps,
// odd LogKV arguments recorded as an error field, nothing recorded after
// Finish.
//
// The checks of the generated-code helpers install the tracer as the global
// tracer for their duration and restore the previous one afterwards, so Run
// must not run in parallel with other tests that use the global tracer.
package harness

import (
	"testing"
	"time"

	tracegen "github.com/tracegen/tracegen/runtime"
)

// Probe tells the harness how spans of the tracer under test relate. Its
// answers come from the tracer's own data, which the API does not expose.
type Probe interface {
	// SameTrace reports whether both spans belong to one trace.
	SameTrace(first, second tracegen.Span) bool

	// SameSpanContext reports whether sc identifies span: the same trace
	// and the same span. sc may come from Extract.
	SameSpanContext(span tracegen.Span, sc tracegen.SpanContext) bool

	// IsParent reports whether child was started as a child (ChildOf or
	// FollowsFrom) of parent. With a nil parent it reports whether child is
	// the root of a new trace.
	IsParent(parent, child tracegen.Span) bool
}

// TagProbe is implemented by probes that can read a span's tags.
type TagProbe interface {
	// Tag returns the value of a tag of span, with the Go type it was set
	// with, and whether it is set.
	Tag(span tracegen.Span, key string) (any, bool)
}

// TimeProbe is implemented by probes that can read a span's times.
type TimeProbe interface {
	// Times returns the span's start time and its finish time, the zero
	// time if it has not finished.
	Times(span tracegen.Span) (start, finish time.Time)
}

// LogProbe is implemented by probes that can read a span's logs.
type LogProbe interface {
	// Logs returns the span's logs in the order they were recorded, with
	// the log records given to FinishWithOptions, each field keeping its
	// type (an error as a log.ErrorType field).
	Logs(span tracegen.Span) []tracegen.LogRecord
}

// Option switches checks on or off.
type Option func(*config)

type config struct {
	baggage   bool
	inject    bool
	extract   bool
	corrupted bool
	probe     Probe
}

// CheckBaggageValues sets whether to assert that baggage items are stored,
// read back, inherited and propagated (default true). Without it the baggage
// methods are only called.
func CheckBaggageValues(on bool) Option { return func(c *config) { c.baggage = on } }

// CheckInject sets whether to assert Inject's results: no error for valid
// input, ErrInvalidSpanContext and ErrInvalidCarrier for invalid (default
// true).
func CheckInject(on bool) Option { return func(c *config) { c.inject = on } }

// CheckExtract sets whether to assert that Extract finds what Inject wrote
// and returns ErrInvalidCarrier for carriers of the wrong type (default true).
func CheckExtract(on bool) Option { return func(c *config) { c.extract = on } }

// CheckCorruptedCarriers sets whether to assert that Extract returns
// ErrSpanContextCorrupted for an injected carrier whose values were replaced
// by garbage or whose binary encoding was cut short (default true; it also
// needs CheckInject and CheckExtract).
func CheckCorruptedCarriers(on bool) Option { return func(c *config) { c.corrupted = on } }

// UseProbe gives the harness a probe, so that it asserts how spans relate.
func UseProbe(p Probe) Option { return func(c *config) { c.probe = p } }

// Run runs every check as a subtest of t. newTracer returns a fresh tracer
// for each check and a function, which may be nil, to call when the check
// ends.
func Run(t *testing.T, newTracer func() (tracegen.Tracer, func()), opts ...Option) {
	t.Helper()
	cfg := config{baggage: true, inject: true, extract: true, corrupted: true}
	for _, o := range opts {
		o(&cfg)
	}
	for _, c := range checks {
		t.Run(c.name, func(t *testing.T) {
			tracer, cleanup := newTracer()
			if tracer == nil {
				t.Fatal("newTracer returned a nil Tracer")
			}
			if cleanup != nil {
				t.Cleanup(cleanup)
			}
			c.run(&suite{T: t, tracer: tracer, cfg: cfg})
		})
	}
}

// suite is what each check works with.
type suite struct {
	*testing.T
	tracer tracegen.Tracer
	cfg    config
}

type check struct {
	name string
	run  func(s *suite)
}

// checks lists every check in the order Run runs them.
var checks = []check{
	{"StartSpan", checkStartSpan},
	{"StartSpanWithParent", checkStartSpanWithParent},
	{"FollowsFrom", checkFollowsFrom},
	{"NilReferencesIgnored", checkNilReferences},
	{"StartSpanWithOptions", checkStartSpanWithOptions},
	{"ExplicitTimes", checkExplicitTimes},
	{"SetOperationName", checkSetOperationName},
	{"TagValueTypes", checkTagValueTypes},
	{"TagsWithChaining", checkTagsWithChaining},
	{"StartTags", checkStartTags},
	{"SpanLogs", checkSpanLogs},
	{"LogKVBadArguments", checkLogKVBadArguments},
	{"FinishIdempotent", checkFinishIdempotent},
	{"CallsAfterFinish", checkCallsAfterFinish},
	{"SpanBaggage", checkSpanBaggage},
	{"ContextBaggage", checkContextBaggage},
	{"MultiBaggage", checkMultiBaggage},
	{"BaggageInheritance", checkBaggageInheritance},
	{"TextMapPropagation", checkTextMapPropagation},
	{"HTTPHeadersPropagation", checkHTTPHeadersPropagation},
	{"BinaryPropagation", checkBinaryPropagation},
	{"MandatoryFormats", checkMandatoryFormats},
	{"UnknownFormat", checkUnknownFormat},
	{"InvalidInject", checkInvalidInject},
	{"InvalidExtract", checkInvalidExtract},
	{"ExtractFromEmptyCarrier", checkExtractFromEmptyCarrier},
	{"CorruptedCarrier", checkCorruptedCarrier},
	{"StartSpanFromContext", checkStartSpanFromContext},
	{"StartEndHelpers", checkStartEndHelpers},
	{"StartRequestHelper", checkStartRequestHelper},
	{"ConcurrentUse", checkConcurrentUse},
}
