// Package tracer is tracegen's recording tracer: it implements the runtime
// API with real trace and span ids, samplers and span limits, and hands
// finished spans to processors and exporters.
package tracer
