// Package setup builds tracegen's recording tracer from the OpenTelemetry
// SDK environment variables and installs it as the global tracer, in one
// call:
//
//	func main() {
//		shutdown, err := setup.FromEnv(context.Background())
//		if err != nil {
//			log.Fatal(err)
//		}
//		defer shutdown(context.Background()) // flushes the exporters
//		...
//	}
//
// With no variable set, finished spans are written as JSON lines to standard
// error (the console exporter): tracing works with zero setup and nothing
// needs to run beside the program. Set OTEL_TRACES_EXPORTER=otlp to send to
// an OpenTelemetry Collector or Jaeger on localhost:4318.
//
// Variables (an invalid value is an error naming the variable and the
// value; nothing falls back to a default silently):
//
//	OTEL_SDK_DISABLED                     true: install nothing
//	OTEL_SERVICE_NAME                     service name (else service.name in
//	                                      OTEL_RESOURCE_ATTRIBUTES, else
//	                                      unknown_service:<program>)
//	OTEL_RESOURCE_ATTRIBUTES              key=value,key2=value2, values percent-decoded
//	OTEL_TRACES_EXPORTER                  comma list of otlp, zipkin, console, tree
//	                                      (tracegen's span tree on standard error), or
//	                                      none; default console
//	TRACEGEN_CONSOLE_FILE                 console writes JSON lines to this file
//	                                      instead of standard error
//	OTEL_EXPORTER_OTLP_PROTOCOL           http/protobuf (default) or grpc (needs
//	OTEL_EXPORTER_OTLP_TRACES_PROTOCOL    import _ ".../runtime/exporter/otlp/otlpgrpc",
//	                                      see below); http/json is refused
//	OTEL_EXPORTER_OTLP_ENDPOINT           base URL; /v1/traces is appended for HTTP
//	                                      (default http://localhost:4318, grpc :4317)
//	OTEL_EXPORTER_OTLP_TRACES_ENDPOINT    full URL, used as it is
//	OTEL_EXPORTER_OTLP_[TRACES_]HEADERS   key=value,... added to every request
//	OTEL_EXPORTER_OTLP_[TRACES_]COMPRESSION  gzip or none
//	OTEL_EXPORTER_OTLP_[TRACES_]TIMEOUT   milliseconds per export (default 10000)
//	OTEL_EXPORTER_ZIPKIN_ENDPOINT         default http://localhost:9411/api/v2/spans
//	OTEL_TRACES_SAMPLER                   always_on, always_off, traceidratio,
//	                                      parentbased_always_on (default),
//	                                      parentbased_always_off, parentbased_traceidratio
//	OTEL_TRACES_SAMPLER_ARG               ratio in [0,1] for the traceidratio samplers
//	OTEL_PROPAGATORS                      comma list (default tracecontext,baggage) or none;
//	                                      names as tracer.ParsePropagators accepts
//	OTEL_BSP_SCHEDULE_DELAY               batch processor: longest wait before export (ms)
//	OTEL_BSP_EXPORT_TIMEOUT               batch processor: deadline of one export (ms)
//	OTEL_BSP_MAX_QUEUE_SIZE               batch processor: queue bound (spans beyond are
//	                                      dropped and counted; default
//	                                      tracer.DefaultMaxQueueSize, 16384)
//	OTEL_BSP_MAX_EXPORT_BATCH_SIZE        batch processor: spans per export
//
// The signal-specific variables (…_TRACES_…) win over the generic ones.
//
// gRPC is not linked unless the program imports
// github.com/tracegen/tracegen/runtime/exporter/otlp/otlpgrpc (a module of
// its own): it would make every program that calls FromEnv carry about
// 8 MB of gRPC it may never use. Without the import, protocol grpc is an
// error naming the variable and the import. Each
// exporter gets its own batch processor, so a slow collector cannot delay
// the console or the program.
package setup

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"

	"github.com/tracegen/tracegen/runtime"
	"github.com/tracegen/tracegen/runtime/exporter/console"
	"github.com/tracegen/tracegen/runtime/exporter/otlp"
	"github.com/tracegen/tracegen/runtime/exporter/zipkin"
	"github.com/tracegen/tracegen/runtime/log"
	"github.com/tracegen/tracegen/runtime/tracer"
)

// Option changes what FromEnv and Build do.
type Option interface{ apply(*options) }

type options struct {
	defaultService string
	stderr         io.Writer
	tracerOpts     []tracer.Option
	exporters      []tracer.Exporter
	batchOpts      []tracer.BatchOption
	noGlobal       bool
}

type optionFunc func(*options)

func (f optionFunc) apply(o *options) { f(o) }

// WithDefaultServiceName names the service when neither OTEL_SERVICE_NAME nor
// a service.name resource attribute is set.
func WithDefaultServiceName(name string) Option {
	return optionFunc(func(o *options) { o.defaultService = name })
}

// WithConsoleWriter sets where the console and tree exporters write
// (default os.Stderr).
func WithConsoleWriter(w io.Writer) Option { return optionFunc(func(o *options) { o.stderr = w }) }

// WithTracerOptions adds options to tracer.New, after those from the
// environment (so they win).
func WithTracerOptions(opts ...tracer.Option) Option {
	return optionFunc(func(o *options) { o.tracerOpts = append(o.tracerOpts, opts...) })
}

// WithExporter adds an exporter to those the environment names, with its own
// batch processor.
func WithExporter(e tracer.Exporter) Option {
	return optionFunc(func(o *options) { o.exporters = append(o.exporters, e) })
}

// WithBatchOptions configures every batch processor.
func WithBatchOptions(opts ...tracer.BatchOption) Option {
	return optionFunc(func(o *options) { o.batchOpts = append(o.batchOpts, opts...) })
}

// WithoutGlobal makes FromEnv leave the global tracer alone.
func WithoutGlobal() Option { return optionFunc(func(o *options) { o.noGlobal = true }) }

// FromEnv reads the environment, builds a tracer with a batch processor per
// exporter, and installs it with runtime.SetGlobalTracer. shutdown flushes
// and stops the exporters within ctx's deadline; call it before the program
// exits. With OTEL_SDK_DISABLED=true nothing is installed and shutdown does
// nothing.
func FromEnv(ctx context.Context, opts ...Option) (shutdown func(context.Context) error, err error) {
	cfg, err := ConfigFromEnv(nil)
	if err != nil {
		return nil, fmt.Errorf("tracing configuration: %w", err)
	}
	var o options
	for _, opt := range opts {
		opt.apply(&o)
	}
	if o.defaultService != "" && os.Getenv(EnvServiceName) == "" && !hasServiceAttribute(os.Getenv(EnvResourceAttributes)) {
		cfg.ServiceName = o.defaultService
	}
	if cfg.Disabled {
		return func(context.Context) error { return nil }, nil
	}
	tr, err := Build(cfg, opts...)
	if err != nil {
		return nil, err
	}
	if !o.noGlobal {
		if err := runtime.SetGlobalTracer(tr); err != nil {
			tr.Shutdown(ctx)
			return nil, err
		}
	}
	return tr.Shutdown, nil
}

func hasServiceAttribute(v string) bool {
	pairs, _ := parseKeyValues(v)
	for _, p := range pairs {
		if p.Key == "service.name" {
			return true
		}
	}
	return false
}

// Build makes the tracer cfg describes. The caller shuts it down.
func Build(cfg Config, opts ...Option) (*tracer.Tracer, error) {
	o := options{stderr: os.Stderr}
	for _, opt := range opts {
		opt.apply(&o)
	}
	sampler, err := newSampler(cfg.Sampler, cfg.SamplerArg)
	if err != nil {
		return nil, err
	}
	res := &tracer.Resource{ServiceName: cfg.ServiceName}
	for _, a := range cfg.ResourceAttributes {
		res.Attributes = append(res.Attributes, log.String(a.Key, a.Value))
	}
	topts := []tracer.Option{tracer.WithResource(res), tracer.WithServiceName(cfg.ServiceName), tracer.WithSampler(sampler)}
	if len(cfg.Propagators) == 0 {
		topts = append(topts, tracer.WithPropagator(noPropagator{}))
	} else {
		p, err := parsePropagators(strings.Join(cfg.Propagators, ","))
		if err != nil {
			return nil, fmt.Errorf("%s=%q: %w", EnvPropagators, strings.Join(cfg.Propagators, ","), err)
		}
		topts = append(topts, tracer.WithPropagator(p))
	}
	exporters, err := newExporters(cfg, o.stderr)
	if err != nil {
		return nil, err
	}
	exporters = append(exporters, o.exporters...)
	batchOpts := append(batchOptions(cfg.Batch), o.batchOpts...)
	for _, e := range exporters {
		topts = append(topts, tracer.WithProcessor(tracer.NewBatchProcessor(e, batchOpts...)))
	}
	return tracer.New(append(topts, o.tracerOpts...)...), nil
}

// batchOptions turns the OTEL_BSP_* settings into options; zero values are
// left to the processor's defaults.
func batchOptions(b BatchConfig) []tracer.BatchOption {
	var opts []tracer.BatchOption
	if b.ScheduleDelay > 0 {
		opts = append(opts, tracer.WithBatchTimeout(b.ScheduleDelay))
	}
	if b.ExportTimeout > 0 {
		opts = append(opts, tracer.WithExportTimeout(b.ExportTimeout))
	}
	if b.MaxQueueSize > 0 {
		opts = append(opts, tracer.WithMaxQueueSize(b.MaxQueueSize))
	}
	if b.MaxExportBatchSize > 0 {
		opts = append(opts, tracer.WithMaxExportBatchSize(b.MaxExportBatchSize))
	}
	return opts
}

func newSampler(name string, arg float64) (tracer.Sampler, error) {
	switch name {
	case "always_on":
		return tracer.AlwaysSample(), nil
	case "always_off":
		return tracer.NeverSample(), nil
	case "traceidratio":
		return tracer.TraceIDRatio(arg), nil
	case "", "parentbased_always_on":
		return tracer.ParentBased(tracer.AlwaysSample()), nil
	case "parentbased_always_off":
		return tracer.ParentBased(tracer.NeverSample()), nil
	case "parentbased_traceidratio":
		return tracer.ParentBased(tracer.TraceIDRatio(arg)), nil
	}
	return nil, fmt.Errorf("%s=%q: unknown sampler", EnvSampler, name)
}

func newExporters(cfg Config, stderr io.Writer) ([]tracer.Exporter, error) {
	var out []tracer.Exporter
	for _, name := range cfg.Exporters {
		e, err := newExporter(name, cfg, stderr)
		if err != nil {
			for _, done := range out {
				done.Shutdown(context.Background())
			}
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

func newExporter(name string, cfg Config, stderr io.Writer) (tracer.Exporter, error) {
	switch name {
	case "console":
		if cfg.ConsoleFile != "" {
			e, err := console.NewJSONFile(cfg.ConsoleFile)
			if err != nil {
				return nil, fmt.Errorf("%s=%q: %w", EnvConsoleFile, cfg.ConsoleFile, err)
			}
			return e, nil
		}
		return console.NewJSON(stderr), nil
	case "tree":
		return console.NewTree(stderr), nil
	case "zipkin":
		return zipkin.New(zipkin.WithEndpoint(cfg.ZipkinEndpoint)), nil
	case "otlp":
		opts := []otlp.Option{otlp.WithTimeout(cfg.OTLP.Timeout)}
		if len(cfg.OTLP.Headers) > 0 {
			opts = append(opts, otlp.WithHeaders(cfg.OTLP.Headers))
		}
		if cfg.OTLP.Gzip {
			opts = append(opts, otlp.WithGzip())
		}
		if cfg.OTLP.Protocol == "grpc" {
			u, err := url.Parse(cfg.OTLP.Endpoint)
			if err != nil {
				return nil, fmt.Errorf("OTLP endpoint %q: %w", cfg.OTLP.Endpoint, err)
			}
			opts = append(opts, otlp.WithGRPC(u.Host))
			if u.Scheme == "https" {
				opts = append(opts, otlp.WithGRPCTLS())
			}
		} else {
			opts = append(opts, otlp.WithEndpoint(cfg.OTLP.Endpoint))
		}
		e, err := otlp.New(opts...)
		if errors.Is(err, otlp.ErrNoGRPC) {
			return nil, fmt.Errorf("%s=grpc: %w", protocolVar(), err)
		}
		return e, err
	}
	return nil, fmt.Errorf("%s: unknown exporter %q", EnvTracesExporter, name)
}

// protocolVar names the variable that chose the OTLP protocol.
func protocolVar() string {
	if os.Getenv("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") != "" {
		return "OTEL_EXPORTER_OTLP_TRACES_PROTOCOL"
	}
	return "OTEL_EXPORTER_OTLP_PROTOCOL"
}

// noPropagator is OTEL_PROPAGATORS=none: nothing is injected or extracted.
type noPropagator = tracer.NopPropagator

// parsePropagators builds the composite propagator OTEL_PROPAGATORS names.
func parsePropagators(list string) (tracer.Propagator, error) {
	return tracer.ParsePropagators(list)
}
